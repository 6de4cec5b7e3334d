import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { zipSync } from '../../modules/constructs/zip';

describe('zipSync', () => {
  const files = [
    { name: 'index.js', data: Buffer.from('exports.handler = async () => ({ statusCode: 200 });\n'.repeat(50)) },
    { name: 'config.json', data: Buffer.from('{"a": "ü"}\n') },
  ];

  test('the same files give the same bytes, whatever their order', () => {
    expect(zipSync(files).equals(zipSync([...files].reverse()))).toBe(true);
  });

  test('unzip reads back every file unchanged', () => {
    // GIVEN an archive on disk
    const file = join(mkdtempSync(join(tmpdir(), 'zip-test-')), 'a.zip');
    writeFileSync(file, zipSync(files));
    // THEN unzip finds no error and returns the original bytes
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors detected');
    for (const f of files) expect(execFileSync('unzip', ['-p', file, f.name]).equals(f.data)).toBe(true);
  });
});
