const MAX_CHARS = 240;

/**
 * At most a short sentence of the model's own text, and only when every
 * number in it (a price, a stock level, an order number) appears in what
 * the database returned or what the shopper wrote. Otherwise nothing: the
 * engine's cards say it with real figures.
 */
export function groundedSentence(text: string | null, facts: string, userText: string): string | null {
  if (!text) return null;
  let s = text.replace(/\s+/g, ' ').trim();
  if (!s) return null;
  if (s.length > MAX_CHARS) {
    const cut = s.slice(0, MAX_CHARS);
    const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '), cut.lastIndexOf('。'));
    if (end < 20) return null;
    s = cut.slice(0, end + 1);
  }
  const known = `${facts} ${userText}`;
  const numbers = s.match(/\d+(?:[.,]\d+)*/g) ?? [];
  return numbers.every((n) => known.includes(n)) ? s : null;
}
