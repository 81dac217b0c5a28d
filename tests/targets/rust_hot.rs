// rust_hot: one busy thread, nearly all of it in rust_hot::engine::hot_rust.
//
// Not built by make: tests/integration/rust-names.sh compiles it with
// rustc at test time, with the default (legacy) symbol mangling and with
// -C symbol-mangling-version=v0.  The crate is named rust_hot after this
// file, so the function's demangled name is rust_hot::engine::hot_rust.
// It is never inlined, and opaque() keeps its loop from being folded
// (a volatile read: std::hint::black_box needs rustc 1.66, and Debian 12
// ships 1.63).
//
// Usage: rust_hot [SECONDS]   (default 30; exits by itself)

use std::time::{Duration, Instant};

// A value the optimiser cannot see through.
#[inline(always)]
fn opaque(x: u64) -> u64 {
    // SAFETY: a read of a live local.
    unsafe { std::ptr::read_volatile(&x) }
}

mod engine {
    use super::opaque;

    // About a millisecond of arithmetic per call.
    #[inline(never)]
    pub fn hot_rust(n: u64) -> u64 {
        let mut acc = opaque(0);
        for i in 0..n {
            acc = opaque(acc.wrapping_mul(6364136223846793005).wrapping_add(i));
        }
        acc
    }
}

fn main() {
    let secs: f64 = match std::env::args().nth(1) {
        None => 30.0,
        Some(s) => match s.parse::<f64>() {
            Ok(d) if d >= 0.0 => d,
            _ => {
                eprintln!("usage: rust_hot [SECONDS]");
                std::process::exit(2);
            }
        },
    };
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let mut sink = 0u64;
    while Instant::now() < end {
        sink ^= engine::hot_rust(opaque(1 << 20));
    }
    opaque(sink);
}
