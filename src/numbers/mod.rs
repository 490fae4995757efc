//! Numbers as text, in one place: everything the library writes or reads as a number goes
//! through here.
//!
//! - [`g15`]: `%.15g` of a double exactly as C prints it, the JSON number tokens built on it,
//!   integer tokens and the shortest text of a float32;
//! - [`fast`]: the same texts for large arrays, formatted straight into the output buffer
//!   (falls back to [`g15`] for the doubles it does not cover);
//! - [`strtod`]: C `strtod` over byte strings, for numeric parameters.

pub mod fast;
pub mod g15;
pub mod strtod;

/// 10^0 ..= 10^38, every power of ten that fits in 128 bits.
const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

pub use g15::{g15, write_f32, write_f64, write_int, write_uint};
pub use strtod::{is_fully_numeric, parse_double};
