//! Memory for key material: its own anonymous mapping, locked into RAM
//! (`mlock`, so it is never written to swap), left out of core dumps
//! (`MADV_DONTDUMP`), and overwritten with zeros before it is unmapped.
//!
//! This is the one place outside the PHP seam and the store's system calls
//! that needs `unsafe`: no safe API maps and locks memory.

use std::{io, mem, ops::Deref, ptr::NonNull};

/// A value of `T` alone in locked, non-dumpable pages, wiped on drop.
///
/// `T` must own no heap memory or other resources (checked when built): the
/// wipe overwrites it in place and its destructor never runs.
pub struct Locked<T> {
    ptr: NonNull<T>,
    map_len: usize,
    locked: bool,
}

impl<T> Locked<T> {
    const CHECKED: () = assert!(!mem::needs_drop::<T>() && mem::align_of::<T>() <= 4096);

    /// Moves `value` into a fresh mapping. Fails only if the mapping cannot
    /// be made; a refused `mlock` (e.g. `ulimit -l` too low) is reported by
    /// [`Locked::is_locked`] instead.
    pub fn new(value: T) -> io::Result<Locked<T>> {
        let () = Self::CHECKED;
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
        let map_len = mem::size_of::<T>().max(1).div_ceil(page) * page;
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing; the result is checked before use.
        let raw = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if raw == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw..raw+map_len` is the mapping made above.
        let locked = unsafe { libc::mlock(raw, map_len) } == 0;
        // SAFETY: as above; MADV_DONTDUMP only changes what a core dump holds.
        unsafe { libc::madvise(raw, map_len, libc::MADV_DONTDUMP) };
        let ptr = NonNull::new(raw.cast::<T>()).expect("mmap does not return NULL on success");
        // SAFETY: the mapping is writable, page-aligned (so aligned for T,
        // checked above) and at least size_of::<T>() long.
        unsafe { ptr.as_ptr().write(value) };
        Ok(Locked {
            ptr,
            map_len,
            locked,
        })
    }

    /// Whether the pages are locked in RAM.
    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Overwrites the value with zeros. Nothing may read it afterwards: only
    /// `Drop` and tests call this.
    fn wipe(&mut self) {
        // SAFETY: `ptr` is a live, exclusively borrowed T that owns nothing
        // (checked at construction); after the wipe it is never read as a T.
        unsafe { zeroize::zeroize_flat_type(self.ptr.as_ptr()) };
    }
}

impl<T> Deref for Locked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `ptr` holds the T written in `new`, alive until drop.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> Drop for Locked<T> {
    fn drop(&mut self) {
        self.wipe();
        let raw = self.ptr.as_ptr().cast::<libc::c_void>();
        // A test keeps the mapping to read what Drop left in it (tests below).
        #[cfg(test)]
        if tests::KEEP_MAPPING_ON_DROP.get() {
            return;
        }
        // SAFETY: unlocks and unmaps exactly the mapping made in `new`; the
        // value in it was wiped and is never used again.
        unsafe {
            if self.locked {
                libc::munlock(raw, self.map_len);
            }
            libc::munmap(raw, self.map_len);
        }
    }
}

// SAFETY: `Locked<T>` owns its T exclusively, like a Box.
unsafe impl<T: Send> Send for Locked<T> {}
// SAFETY: shared access only hands out `&T`.
unsafe impl<T: Sync> Sync for Locked<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Set by a test: `Drop` wipes but leaves the pages mapped (the test
        /// unmaps them).
        pub(super) static KEEP_MAPPING_ON_DROP: Cell<bool> = const { Cell::new(false) };
    }

    /// The VmFlags of the mapping that holds `addr`, from /proc/self/smaps
    /// (the kernel may have merged it with a neighbour of the same flags).
    fn vm_flags(addr: usize) -> Vec<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let holds = |line: &str| {
            let range = line.split_whitespace().next().unwrap_or("");
            let Some((start, end)) = range.split_once('-') else {
                return false;
            };
            match (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) {
                (Ok(start), Ok(end)) => (start..end).contains(&addr),
                _ => false,
            }
        };
        let mut lines = smaps.lines().skip_while(|l| !holds(l));
        assert!(lines.next().is_some(), "no mapping holds {addr:x} in smaps");
        let flags = lines
            .find_map(|l| l.strip_prefix("VmFlags:"))
            .expect("smaps has VmFlags");
        flags.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_mapping_is_left_out_of_core_dumps_and_locked() {
        let secret = Locked::new([0xA5u8; 48]).unwrap();
        let flags = vm_flags(secret.ptr.as_ptr() as usize);
        // dd: MADV_DONTDUMP; lo: mlock'ed (VM_LOCKED).
        assert!(flags.iter().any(|f| f == "dd"), "{flags:?}");
        assert!(flags.iter().any(|f| f == "lo"), "{flags:?}");
    }

    #[test]
    fn dropping_wipes_the_value() {
        let secret = Locked::new([0xA5u8; 48]).unwrap();
        let (at, map_len) = (secret.ptr.as_ptr().cast::<u8>(), secret.map_len);
        KEEP_MAPPING_ON_DROP.set(true);
        drop(secret);
        KEEP_MAPPING_ON_DROP.set(false);
        let bytes: Vec<u8> = (0..48)
            // SAFETY: Drop left the mapping in place (KEEP_MAPPING_ON_DROP),
            // so the 48 bytes are still mapped, and u8 has no invalid values.
            .map(|i| unsafe { at.add(i).read_volatile() })
            .collect();
        // SAFETY: unmaps the mapping Drop left behind, never used again.
        unsafe { libc::munmap(at.cast(), map_len) };
        assert!(bytes.iter().all(|&b| b == 0), "{bytes:?}");
    }

    #[test]
    fn holds_the_value_in_locked_pages() {
        let secret = Locked::new([0xA5u8; 48]).unwrap();
        assert_eq!(*secret, [0xA5; 48]);
        assert_eq!(secret.ptr.as_ptr() as usize % 4096, 0, "own page");
        // Root, or a normal memlock limit, can lock one page.
        assert!(secret.is_locked());
    }

    #[test]
    fn wipe_zeroes_the_memory_in_place() {
        let mut secret = Locked::new([0xA5u8; 48]).unwrap();
        let at = secret.ptr.as_ptr().cast::<u8>();
        secret.wipe();
        // Read through the raw pointer the value lives at (not a copy).
        let bytes: Vec<u8> = (0..48)
            // SAFETY: `at` points to the 48 initialised bytes of the array,
            // still mapped (`secret` is alive), and u8 has no invalid values.
            .map(|i| unsafe { at.add(i).read_volatile() })
            .collect();
        assert!(bytes.iter().all(|&b| b == 0), "{bytes:?}");
    }
}
