//! Replays files through the fuzz targets on a stable toolchain, without
//! libFuzzer: each file is run by the target named by a directory on its path
//! (`seeds/envelope_open/x` → `envelope_open`).
//!
//!   cargo run --example replay --no-default-features -- seeds corpus artifacts regressions
//!   cargo run --example replay --no-default-features -- --write-seeds seeds
//!
//! Prints one line per failing file and a closing "replay: N files, N failed";
//! exits 1 if any failed.

use std::{
    fs,
    panic::{self, AssertUnwindSafe},
    path::{Path, PathBuf},
    process::ExitCode,
};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

fn target_of(path: &Path) -> Option<(&'static str, rustenc_fuzz::Target)> {
    path.components().rev().find_map(|c| {
        let name = c.as_os_str().to_str()?;
        rustenc_fuzz::TARGETS
            .iter()
            .copied()
            .find(|(t, _)| *t == name)
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--write-seeds") {
        let dir = Path::new(args.get(1).map_or("seeds", String::as_str));
        for (target, name, bytes) in rustenc_fuzz::seeds() {
            fs::create_dir_all(dir.join(target)).unwrap();
            fs::write(dir.join(target).join(name), bytes).unwrap();
        }
        println!("wrote seeds to {}", dir.display());
        return ExitCode::SUCCESS;
    }
    let mut all = Vec::new();
    for a in &args {
        let p = Path::new(a);
        if p.is_file() {
            all.push(p.to_path_buf());
        } else {
            files(p, &mut all);
        }
    }
    // Keep the output to the failures: the panic message goes with the path.
    panic::set_hook(Box::new(|info| eprintln!("  {info}")));
    let (mut run, mut failed, mut skipped) = (0, 0, 0);
    let mut per_target = std::collections::BTreeMap::<&str, usize>::new();
    for path in &all {
        let Some((name, target)) = target_of(path) else {
            skipped += 1;
            continue;
        };
        let bytes = fs::read(path).expect("read corpus file");
        run += 1;
        *per_target.entry(name).or_default() += 1;
        if panic::catch_unwind(AssertUnwindSafe(|| target(&bytes))).is_err() {
            failed += 1;
            eprintln!("FAIL {name}: {}", path.display());
        }
    }
    let counts: Vec<String> = per_target.iter().map(|(t, n)| format!("{t}={n}")).collect();
    println!(
        "replay: {run} files ({}), {failed} failed{}",
        counts.join(" "),
        if skipped > 0 {
            format!(", {skipped} not under a target directory")
        } else {
            String::new()
        }
    );
    if failed > 0 || run == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
