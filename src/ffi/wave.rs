//! Waves (placeholder until the wave module lands).

/// A wave under construction.
pub struct zeromq_wave {
    pub(crate) inner: crate::wave::Wave,
}
