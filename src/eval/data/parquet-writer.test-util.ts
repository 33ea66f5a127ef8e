/**
 * The smallest parquet writer the hub tests need: one row group, REQUIRED flat columns of UTF-8
 * strings or INT64, PLAIN encoding, uncompressed, one data page per column. hyparquet only reads
 * and hyparquet-writer is not a dependency, so the tests build their own files with this.
 */

type Column = { name: string; kind: 'string'; values: string[] } | { name: string; kind: 'int64'; values: number[] };

// Thrift compact protocol type ids.
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

class Out {
  bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }
  zigzag(n: number): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.byte(x);
  }
}

/** A thrift struct: fields must be written in increasing id order. */
class Struct {
  private last = 0;
  constructor(private o: Out) {}
  private head(id: number, type: number): void {
    this.o.byte(((id - this.last) << 4) | type);
    this.last = id;
  }
  i32(id: number, v: number): this {
    this.head(id, I32);
    this.o.zigzag(v);
    return this;
  }
  i64(id: number, v: number): this {
    this.head(id, I64);
    this.o.zigzag(v);
    return this;
  }
  str(id: number, s: string): this {
    this.head(id, BINARY);
    const b = new TextEncoder().encode(s);
    this.o.varint(BigInt(b.length));
    this.o.raw(b);
    return this;
  }
  list(id: number, elemType: number, n: number, each: (k: number) => void): this {
    this.head(id, LIST);
    if (n < 15) this.o.byte((n << 4) | elemType);
    else {
      this.o.byte(0xf0 | elemType);
      this.o.varint(BigInt(n));
    }
    for (let k = 0; k < n; k++) each(k);
    return this;
  }
  struct(id: number, fill: (s: Struct) => void): this {
    this.head(id, STRUCT);
    const s = new Struct(this.o);
    fill(s);
    s.end();
    return this;
  }
  end(): void {
    this.o.byte(0);
  }
}

function struct(o: Out, fill: (s: Struct) => void): void {
  const s = new Struct(o);
  fill(s);
  s.end();
}

function plain(c: Column): Uint8Array {
  const o = new Out();
  for (const v of c.values) {
    if (c.kind === 'string') {
      const b = new TextEncoder().encode(v as string);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      o.raw(len);
      o.raw(b);
    } else {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      o.raw(b);
    }
  }
  return Uint8Array.from(o.bytes);
}

export function writeParquet(columns: Column[]): Buffer {
  const rows = columns[0]?.values.length ?? 0;
  const file = new Out();
  file.raw(new TextEncoder().encode('PAR1'));
  const chunks: { offset: number; size: number; col: Column }[] = [];
  for (const col of columns) {
    const data = plain(col);
    const header = new Out();
    struct(header, (s) =>
      s
        .i32(1, 0)
        .i32(2, data.length)
        .i32(3, data.length)
        .struct(5, (d) => d.i32(1, rows).i32(2, 0).i32(3, 3).i32(4, 3)),
    );
    const offset = file.bytes.length;
    file.raw(Uint8Array.from(header.bytes));
    file.raw(data);
    chunks.push({ offset, size: header.bytes.length + data.length, col });
  }
  const meta = new Out();
  struct(meta, (s) =>
    s
      .i32(1, 1)
      .list(2, STRUCT, columns.length + 1, (k) => {
        if (k === 0) struct(meta, (e) => e.str(4, 'schema').i32(5, columns.length));
        else {
          const c = columns[k - 1]!;
          struct(meta, (e) => {
            e.i32(1, c.kind === 'string' ? 6 : 2).i32(3, 0).str(4, c.name);
            if (c.kind === 'string') e.i32(6, 0);
          });
        }
      })
      .i64(3, rows)
      .list(4, STRUCT, 1, () =>
        struct(meta, (rg) =>
          rg
            .list(1, STRUCT, chunks.length, (k) => {
              const ch = chunks[k]!;
              struct(meta, (cc) =>
                cc.i64(2, ch.offset).struct(3, (m) =>
                  m
                    .i32(1, ch.col.kind === 'string' ? 6 : 2)
                    .list(2, I32, 1, () => meta.zigzag(0))
                    .list(3, BINARY, 1, () => {
                      const b = new TextEncoder().encode(ch.col.name);
                      meta.varint(BigInt(b.length));
                      meta.raw(b);
                    })
                    .i32(4, 0)
                    .i64(5, rows)
                    .i64(6, ch.size)
                    .i64(7, ch.size)
                    .i64(9, ch.offset),
                ),
              );
            })
            .i64(2, chunks.reduce((a, c) => a + c.size, 0))
            .i64(3, rows),
        ),
      ),
  );
  file.raw(Uint8Array.from(meta.bytes));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(meta.bytes.length);
  file.raw(len);
  file.raw(new TextEncoder().encode('PAR1'));
  return Buffer.from(Uint8Array.from(file.bytes));
}
