/**
 * The byte window over a file's chunks: it takes a reader's chunk without copying it when the
 * chunk has room in front for the live bytes (slackedBuffer), and must then never depend on that
 * buffer once the reader may read into it again. Checked against a plain concatenation of every
 * chunk, with the reader's buffers scribbled over as soon as the reader could reuse them.
 */
import assert from 'node:assert/strict';
import { ByteWindow, CHUNK_SLACK, slackedBuffer } from '../../src/engine/window';
import { Rng } from '../fuzz/fuzz';

/** Reads `text` as readAhead does: three recycled slacked buffers, each chunk read after the slack. */
function* slackedChunks(text: Buffer, sizes: () => number): Generator<{ chunk: Buffer; reuse: Buffer[] }> {
  const buffers = [0, 1, 2].map(() => slackedBuffer(1 << 12));
  let turn = 0;
  for (let at = 0; at < text.length; ) {
    const size = Math.min(sizes(), text.length - at, 1 << 12);
    const buffer = buffers[turn++ % 3];
    text.copy(buffer, CHUNK_SLACK, at, at + size);
    at += size;
    // Once this chunk is with the consumer, the reader reads the next one, and the one after into the buffer two chunks back.
    yield { chunk: buffer.subarray(CHUNK_SLACK, CHUNK_SLACK + size), reuse: [buffers[(turn + 1) % 3]] };
  }
}

/** Lines and columns (1-based, UTF-16) as an editor counts them, for ASCII text. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNl };
}

describe('the byte window', () => {
  it('takes slacked chunks without a copy and keeps the live bytes right when the reader reuses its buffers', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = new Rng(seed);
      // Records of varied lengths, some longer than the slack, so that both paths run.
      const records: string[] = [];
      for (let i = 0; i < 60; i++) records.push(`<r${i}>${'x'.repeat(rng.int(seed % 4 === 0 ? CHUNK_SLACK + 5000 : 3000))}</r${i}>\n`);
      const text = Buffer.from(records.join(''), 'latin1');
      const source = text.toString('latin1');
      const window = new ByteWindow();
      let received = 0;
      for (const { chunk, reuse } of slackedChunks(text, () => 1 + rng.int(4096))) {
        window.append(chunk);
        received += chunk.length;
        // The reader fills the buffer it reuses next: the window must not read from it any more.
        for (const b of reuse) b.fill(0x3f);
        assert.equal(window.end, received);
        assert.equal(window.bytes.toString('latin1'), source.slice(window.base, received), `seed ${seed} at ${received}`);
        // Keep a random tail, as the framer keeps a record cut at the chunk's end.
        const keep = received - rng.int(Math.min(received - window.base, CHUNK_SLACK + 6000) + 1);
        if (keep > window.base) {
          assert.deepEqual(window.positionOf(keep), positionIn(source, keep), `seed ${seed}: position of ${keep}`);
          window.discardBefore(keep);
        }
      }
      assert.equal(received, text.length);
    }
  });

  it('copies a chunk when the live bytes are more than the room in front of it', () => {
    const window = new ByteWindow();
    const cut = 'c'.repeat(CHUNK_SLACK + 100);
    window.append(Buffer.from(cut, 'latin1'));
    const slacked = slackedBuffer(16);
    slacked.write('tail', CHUNK_SLACK, 'latin1');
    window.append(slacked.subarray(CHUNK_SLACK, CHUNK_SLACK + 4));
    slacked.fill(0x3f);
    assert.equal(window.bytes.toString('latin1'), `${cut}tail`);
  });

  it('gives up a reader\'s buffer at the next append that cannot take a chunk without a copy', () => {
    const window = new ByteWindow();
    const slacked = slackedBuffer(16);
    slacked.write('abcdefgh', CHUNK_SLACK, 'latin1');
    window.append(slacked.subarray(CHUNK_SLACK, CHUNK_SLACK + 8));
    window.discardBefore(4);
    // A chunk of another source (no slack): the live bytes move to the window's own store.
    window.append(Buffer.from('ijkl', 'latin1'));
    slacked.fill(0x3f);
    assert.equal(window.bytes.toString('latin1'), 'efghijkl');
    window.append(Buffer.from('mn', 'latin1'));
    slacked.fill(0x21);
    assert.equal(window.bytes.toString('latin1'), 'efghijklmn');
  });
});
