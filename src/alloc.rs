//! The wasm build's allocator: the system allocator (dlmalloc), with every block of 4 KiB or
//! more starting on a 64-byte cache line.
//!
//! dlmalloc aligns blocks to 8 bytes in wasm, so an image buffer usually starts 8 bytes into a
//! line and one in four of a kernel's 16-byte loads and stores straddles two lines, which costs
//! the processor a second access. Image rows, tables and scratch rows are all this large; small
//! blocks keep the plain alignment (and their smaller overhead).
//!
//! Whether a block is large depends only on its size, which `dealloc` and `realloc` are given
//! again, so every block is freed with the layout it was allocated with.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large start on a cache line.
const LARGE: usize = 4096;
/// A cache line.
const LINE: usize = 64;

pub struct LineAligned;

/// The layout a block of `layout` gets from the system allocator.
fn placed(layout: Layout) -> Layout {
    if layout.size() >= LARGE && layout.align() < LINE {
        // SAFETY: LINE is a power of two and the size, already valid for a smaller alignment,
        // is far below isize::MAX rounded up to LINE (wasm addresses are 32 bits).
        unsafe { Layout::from_size_align_unchecked(layout.size(), LINE) }
    } else {
        layout
    }
}

// Not inlined: hundreds of allocation sites would each carry a copy (40 KB of wasm).
// SAFETY: every call forwards to `System` with `placed(layout)`, which has the caller's size and
// an alignment at least the caller's; a block is freed or resized with the layout it got.
unsafe impl GlobalAlloc for LineAligned {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller's; `placed` keeps the (non-zero) size.
        unsafe { System.alloc(placed(layout)) }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe { System.alloc_zeroed(placed(layout)) }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this size, so with `placed(layout)`.
        unsafe { System.dealloc(ptr, placed(layout)) }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = placed(layout);
        // SAFETY: the caller promises new_size > 0 and a valid layout when rounded up.
        let new = placed(unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) });
        if old.align() == new.align() {
            // SAFETY: `ptr` was allocated with `old`; System.realloc keeps old's alignment.
            return unsafe { System.realloc(ptr, old, new_size) };
        }
        // The block crosses the size boundary: move it to a block with the new alignment.
        // SAFETY: `new` has a non-zero size; the copy stays within both blocks.
        unsafe {
            let moved = System.alloc(new);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                System.dealloc(ptr, old);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn large_blocks_start_on_a_line_and_keep_their_bytes_when_resized() {
        let a = LineAligned;
        // SAFETY: layouts with non-zero sizes; every block is freed with its size.
        unsafe {
            for size in [1usize, 100, 4095, 4096, 5000, 262_144] {
                let layout = Layout::from_size_align(size, 1).unwrap();
                let p = a.alloc(layout);
                assert!(!p.is_null());
                if size >= LARGE {
                    assert_eq!(p as usize % LINE, 0, "{size}");
                }
                for i in 0..size {
                    *p.add(i) = (i % 251) as u8;
                }
                // Grow across the boundary and back down, checking the bytes each time.
                let grown = a.realloc(p, layout, size * 3);
                assert!((0..size).all(|i| *grown.add(i) == (i % 251) as u8));
                if size * 3 >= LARGE {
                    assert_eq!(grown as usize % LINE, 0);
                }
                let grown_layout = Layout::from_size_align(size * 3, 1).unwrap();
                let small = a.realloc(grown, grown_layout, 10);
                assert!((0..size.min(10)).all(|i| *small.add(i) == (i % 251) as u8));
                a.dealloc(small, Layout::from_size_align(10, 1).unwrap());
                let z = a.alloc_zeroed(layout);
                assert!((0..size).all(|i| *z.add(i) == 0));
                a.dealloc(z, layout);
            }
        }
    }
}
