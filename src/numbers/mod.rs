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

pub use g15::{g15, write_f32, write_f64, write_int, write_uint};
pub use strtod::{is_fully_numeric, parse_double};
