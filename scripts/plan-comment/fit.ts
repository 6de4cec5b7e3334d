/** Fitting collapsible sections into a character budget by cutting their bodies at line boundaries. */

export interface Piece {
  open: string;
  body: string;
  close: string;
  /** cut the body at line boundaries and append this note with the omitted count */
  unit: 'lines' | 'chars';
}

export function pieceLength(p: Piece): number {
  return p.open.length + p.body.length + p.close.length;
}

/** Fits a piece into maxLen by cutting its body; null when not even the frame fits. */
export function fitPiece(p: Piece, maxLen: number): string | null {
  if (pieceLength(p) <= maxLen) return p.open + p.body + p.close;
  const frame = p.open.length + p.close.length;
  const note = (n: number) => `\n… truncated: ${n} more ${p.unit} not shown (see the workflow run log)\n`;
  const room = maxLen - frame - note(p.body.length).length;
  if (room < 0) return null;
  let cut = p.body.lastIndexOf('\n', room);
  if (cut < 0) cut = 0;
  const kept = p.body.slice(0, cut);
  const omitted =
    p.unit === 'lines'
      ? p.body
          .slice(cut)
          .split('\n')
          .filter((l) => l.trim()).length
      : p.body.length - cut;
  return p.open + kept + note(omitted) + p.close;
}

/** Fits pieces into budget, smallest first, each getting a fair share of what is left. */
export function fitPieces(pieces: Piece[], budget: number, omittedNote: (p: Piece) => string): { text: string[]; used: number } {
  const order = pieces.map((_p, i) => i).sort((a, b) => pieceLength(pieces[a]) - pieceLength(pieces[b]));
  const text: string[] = new Array(pieces.length).fill('');
  let left = budget;
  order.forEach((idx, n) => {
    const share = Math.floor(left / (order.length - n));
    let t = fitPiece(pieces[idx], share);
    if (t === null) {
      const note = omittedNote(pieces[idx]);
      t = note.length <= share ? note : '';
    }
    text[idx] = t;
    left -= t.length;
  });
  return { text, used: budget - left };
}
