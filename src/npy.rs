//! NumPy files: `.npy` (format 1.0) and `.npz` (a zip of `.npy` files, stored uncompressed), so
//! exported arrays load with `numpy.load` with their exact dtype and shape.

use crate::error::{Error, Result};

/// Element types augplay exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    /// `uint8`
    U8,
    /// `bool` (one byte, 0 or 1)
    Bool,
}

impl Dtype {
    fn descr(self) -> &'static str {
        match self {
            Dtype::U8 => "|u1",
            Dtype::Bool => "|b1",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Dtype::U8 => "uint8",
            Dtype::Bool => "bool",
        }
    }
}

/// An n-dimensional array in C (row-major) order, one byte per element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Array {
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub data: Vec<u8>,
}

impl Array {
    pub fn new(dtype: Dtype, shape: Vec<usize>, data: Vec<u8>) -> Result<Self> {
        let n: usize = shape.iter().product();
        if n != data.len() {
            return Err(Error::Argument(format!("array of shape {shape:?} needs {n} values, got {}", data.len())));
        }
        Ok(Array { dtype, shape, data })
    }

    /// The `.npy` bytes.
    ///
    /// ```
    /// let a = augplay::npy::Array::new(augplay::npy::Dtype::U8, vec![2, 3], vec![0; 6]).unwrap();
    /// let bytes = a.to_npy();
    /// assert_eq!(&bytes[..6], b"\x93NUMPY");
    /// assert_eq!(bytes.len() % 64, 6 % 64); // header padded to 64 bytes, then 6 values
    /// ```
    pub fn to_npy(&self) -> Vec<u8> {
        let shape = match self.shape.as_slice() {
            [n] => format!("({n},)"),
            dims => format!("({})", dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
        };
        let mut header = format!("{{'descr': '{}', 'fortran_order': False, 'shape': {shape}, }}", self.dtype.descr());
        // magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
        let unpadded = 10 + header.len() + 1;
        header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
        header.push('\n');
        let mut out = Vec::with_capacity(10 + header.len() + self.data.len());
        out.extend_from_slice(b"\x93NUMPY\x01\x00");
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(&self.data);
        out
    }
}

/// CRC-32 (IEEE), as zip needs.
pub fn crc32(bytes: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *e = c;
        }
        t
    });
    !bytes.iter().fold(!0u32, |c, &b| table[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8))
}

/// A zip archive of `(name, bytes)` entries, stored without compression (what `numpy.savez`
/// writes). Dates are fixed so the same content gives the same bytes.
pub fn zip(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    const DOS_DATE: u16 = (2020 - 1980) << 9 | 1 << 5 | 1; // 2020-01-01
    for (name, data) in entries {
        if out.len() > u32::MAX as usize - data.len() - 1024 || entries.len() > u16::MAX as usize {
            return Err(Error::Argument("the archive would exceed 4 GiB or 65535 files, the limit of zip without extensions".into()));
        }
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let fields = |sig: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central_dir {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&DOS_DATE.to_le_bytes());
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra length
            if central_dir {
                h.extend_from_slice(&[0; 6]); // comment length, disk number, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(fields(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(fields(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

/// An `.npz` of named arrays (`name` becomes `name.npy` inside).
pub fn npz(arrays: &[(&str, &Array)]) -> Result<Vec<u8>> {
    zip(&arrays.iter().map(|(name, a)| (format!("{name}.npy"), a.to_npy())).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_known_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn npy_header_is_exact() {
        let a = Array::new(Dtype::Bool, vec![5], vec![1, 0, 1, 0, 1]).unwrap();
        let bytes = a.to_npy();
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
        assert!(header.starts_with("{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }"));
        assert!(header.ends_with('\n'));
        assert_eq!((10 + header_len) % 64, 0);
        assert_eq!(&bytes[10 + header_len..], &[1, 0, 1, 0, 1]);
        assert!(Array::new(Dtype::U8, vec![2, 2], vec![0; 3]).is_err());
    }
}
