import { describe, expect, it } from 'vitest';
import { createRng } from '../../load/rng.js';
import { csvObjects, parseCsv } from './csv.js';

const fields = (text: string): string[][] => parseCsv(text).map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and records, LF and CRLF alike', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quotes', () => {
    expect(fields('"x, y",z\n')).toEqual([['x, y', 'z']]);
    expect(fields('"say ""hi""",2\n')).toEqual([['say "hi"', '2']]);
    expect(fields('"line 1\nline 2\r\nline 3",end\n')).toEqual([['line 1\nline 2\r\nline 3', 'end']]);
    expect(fields('"",""\n')).toEqual([['', '']]);
  });

  it('drops a BOM, keeps empty fields, has no trailing empty record', () => {
    expect(fields('\ufeffType,Category\nA,B')).toEqual([
      ['Type', 'Category'],
      ['A', 'B'],
    ]);
    expect(fields(',Question,A\n0,,x\n')).toEqual([
      ['', 'Question', 'A'],
      ['0', '', 'x'],
    ]);
    expect(fields('a\n\nb\n')).toEqual([['a'], ['b']]);
    expect(fields('')).toEqual([]);
  });

  it('is lenient like Python csv: a quote inside an unquoted field is data', () => {
    expect(fields('5" tall,x\n')).toEqual([['5" tall', 'x']]);
    expect(fields('"ab"cd,x\n')).toEqual([['abcd', 'x']]);
  });

  it('records the line each record starts on, counting line breaks inside quotes', () => {
    const recs = parseCsv('h1,h2\n"multi\nline",x\nlast,y\n');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('an unclosed quote is an error naming the file and line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', 'data/x.csv')).toThrow('data/x.csv:2: unclosed quoted field');
  });

  it('round-trips random tables written the RFC 4180 way', () => {
    const rng = createRng(42);
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', '\r', '答', 'é'];
    const quote = (f: string): string => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
    for (let t = 0; t < 300; t++) {
      const rows = Array.from({ length: 1 + Math.floor(rng() * 5) }, () =>
        Array.from({ length: 1 + Math.floor(rng() * 4) }, () => Array.from({ length: Math.floor(rng() * 6) }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('')),
      );
      const eol = rng() < 0.5 ? '\n' : '\r\n';
      const text = rows.map((r) => r.map(quote).join(',')).join(eol) + (rng() < 0.5 ? eol : '');
      expect(fields(text), JSON.stringify(text)).toEqual(rows);
    }
  });

  it('a trailing comma opens an empty last field', () => {
    expect(fields('a,\nb,')).toEqual([
      ['a', ''],
      ['b', ''],
    ]);
  });

  it('parses a real MMLU row with quoted commas', () => {
    const row = 'Find all zeros in the indicated finite field of the given polynomial with coefficients in that field. x^5 + 3x^3 + x^2 + 2x in Z_5,0,1,"0,1","0,4",D\n';
    expect(fields(row)[0]).toEqual([
      'Find all zeros in the indicated finite field of the given polynomial with coefficients in that field. x^5 + 3x^3 + x^2 + 2x in Z_5',
      '0',
      '1',
      '0,1',
      '0,4',
      'D',
    ]);
  });
});

describe('csvObjects', () => {
  it('keys records by the header and rejects a record of the wrong width with its line', () => {
    expect(csvObjects('id,q\n0,"a,b"\n', 'f.csv')).toEqual([{ row: { id: '0', q: 'a,b' }, line: 2 }]);
    expect(() => csvObjects('id,q\n0,a\n1,b,c\n', 'f.csv')).toThrow('f.csv:3: expected 2 fields like the header, found 3');
    expect(() => csvObjects('', 'f.csv')).toThrow('f.csv: empty CSV file');
  });
});
