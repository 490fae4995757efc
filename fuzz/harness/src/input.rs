//! Decoding the fuzz input into typed values.

/// Reads typed values off the fuzz input; past its end every read gives zeros.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8();
        }
        u64::from_le_bytes(b)
    }

    /// A double: usually one of the interesting values, otherwise raw bits.
    pub fn f64(&mut self) -> f64 {
        const SPECIAL: [f64; 16] = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e15,
            1e-5,
            123456789012345.0,
            9999999999999995.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            4711.0,
        ];
        let sel = self.u8();
        if sel < 128 {
            SPECIAL[(sel % 16) as usize]
        } else {
            f64::from_bits(self.u64())
        }
    }

    /// Up to `max` bytes, length-prefixed.
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let want = (self.u8() as usize).min(max);
        let start = self.pos.min(self.data.len());
        let end = (start + want).min(self.data.len());
        self.pos = start + want;
        &self.data[start..end]
    }

    /// Whatever is left.
    pub fn rest(&mut self) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        self.pos = self.data.len();
        &self.data[start..]
    }
}
