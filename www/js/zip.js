// A zip archive written in the browser, entries stored uncompressed (PNG and .npy gain little from
// deflate): what `unzip`, Python's zipfile and numpy read. Fixed dates: same content, same bytes.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1; // 2020-01-01

export class ZipWriter {
  constructor() {
    this.parts = [];
    this.central = [];
    this.offset = 0;
    this.count = 0;
  }

  /** Adds a file; `data` is a Uint8Array or a string (written as UTF-8). */
  add(name, data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const nameBytes = new TextEncoder().encode(name);
    if (this.offset + bytes.length > 0xffffffff - 65536 || this.count >= 0xffff) {
      throw new Error('the archive would exceed 4 GiB or 65535 files, the limit of a plain zip file: export fewer samples');
    }
    const crc = crc32(bytes);
    const header = (central) => {
      const h = new DataView(new ArrayBuffer((central ? 46 : 30) + nameBytes.length));
      let o = 0;
      const u16 = (v) => { h.setUint16(o, v, true); o += 2; };
      const u32 = (v) => { h.setUint32(o, v, true); o += 4; };
      u32(central ? 0x02014b50 : 0x04034b50);
      if (central) u16(20);
      u16(20); u16(0x0800); u16(0); u16(0); u16(DOS_DATE); // version, UTF-8 names, stored, time, date
      u32(crc); u32(bytes.length); u32(bytes.length);
      u16(nameBytes.length); u16(0);
      if (central) { u16(0); u16(0); u16(0); u32(0); u32(this.offset); }
      new Uint8Array(h.buffer).set(nameBytes, o);
      return new Uint8Array(h.buffer);
    };
    const local = header(false);
    this.parts.push(local, bytes);
    this.central.push(header(true));
    this.offset += local.length + bytes.length;
    this.count++;
  }

  /** The finished archive as a Blob. */
  blob() {
    const size = this.central.reduce((s, c) => s + c.length, 0);
    const end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, this.count, true);
    end.setUint16(10, this.count, true);
    end.setUint32(12, size, true);
    end.setUint32(16, this.offset, true);
    return new Blob([...this.parts, ...this.central, end.buffer], { type: 'application/zip' });
  }
}
