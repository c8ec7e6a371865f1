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
