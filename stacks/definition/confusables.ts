/**
 * Characters a reader cannot see or cannot tell from another, named by code point and Unicode
 * name so an error does not print `found "х"` for a Cyrillic letter that looks like a Latin x.
 * A small table, not a dependency: the invisible format and bidi controls, and the Cyrillic and
 * Greek letters that look like Latin ones (names from the Unicode Character Database,
 * https://www.unicode.org/Public/UCD/latest/ucd/UnicodeData.txt; look-alikes after
 * https://www.unicode.org/Public/security/latest/confusables.txt). Other format characters
 * (category Cf) are still caught, by code point only.
 */

/** Invisible characters: zero-width, joiners, bidi embeddings, overrides and isolates, fillers. */
const INVISIBLE: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN', 0x034f: 'COMBINING GRAPHEME JOINER', 0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER', 0x1160: 'HANGUL JUNGSEONG FILLER', 0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER', 0x2061: 'FUNCTION APPLICATION', 0x2062: 'INVISIBLE TIMES', 0x2063: 'INVISIBLE SEPARATOR', 0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER', 0xfeff: 'ZERO WIDTH NO-BREAK SPACE', 0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** Cyrillic and Greek letters drawn like a Latin letter: code point -> [Unicode name, the Latin letter]. */
const LOOKALIKES: Readonly<Record<number, readonly [string, string]>> = {
  0x0430: ['CYRILLIC SMALL LETTER A', 'a'], 0x0435: ['CYRILLIC SMALL LETTER IE', 'e'], 0x043e: ['CYRILLIC SMALL LETTER O', 'o'],
  0x0440: ['CYRILLIC SMALL LETTER ER', 'p'], 0x0441: ['CYRILLIC SMALL LETTER ES', 'c'], 0x0443: ['CYRILLIC SMALL LETTER U', 'y'],
  0x0445: ['CYRILLIC SMALL LETTER HA', 'x'], 0x0455: ['CYRILLIC SMALL LETTER DZE', 's'], 0x0456: ['CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I', 'i'],
  0x0458: ['CYRILLIC SMALL LETTER JE', 'j'], 0x04bb: ['CYRILLIC SMALL LETTER SHHA', 'h'], 0x0501: ['CYRILLIC SMALL LETTER KOMI DE', 'd'],
  0x051b: ['CYRILLIC SMALL LETTER QA', 'q'], 0x051d: ['CYRILLIC SMALL LETTER WE', 'w'], 0x04cf: ['CYRILLIC SMALL LETTER PALOCHKA', 'l'],
  0x0410: ['CYRILLIC CAPITAL LETTER A', 'A'], 0x0412: ['CYRILLIC CAPITAL LETTER VE', 'B'], 0x0415: ['CYRILLIC CAPITAL LETTER IE', 'E'],
  0x041a: ['CYRILLIC CAPITAL LETTER KA', 'K'], 0x041c: ['CYRILLIC CAPITAL LETTER EM', 'M'], 0x041d: ['CYRILLIC CAPITAL LETTER EN', 'H'],
  0x041e: ['CYRILLIC CAPITAL LETTER O', 'O'], 0x0420: ['CYRILLIC CAPITAL LETTER ER', 'P'], 0x0421: ['CYRILLIC CAPITAL LETTER ES', 'C'],
  0x0422: ['CYRILLIC CAPITAL LETTER TE', 'T'], 0x0425: ['CYRILLIC CAPITAL LETTER HA', 'X'], 0x0405: ['CYRILLIC CAPITAL LETTER DZE', 'S'],
  0x0406: ['CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I', 'I'], 0x0408: ['CYRILLIC CAPITAL LETTER JE', 'J'], 0x04ae: ['CYRILLIC CAPITAL LETTER STRAIGHT U', 'Y'],
  0x051a: ['CYRILLIC CAPITAL LETTER QA', 'Q'], 0x051c: ['CYRILLIC CAPITAL LETTER WE', 'W'],
  0x0391: ['GREEK CAPITAL LETTER ALPHA', 'A'], 0x0392: ['GREEK CAPITAL LETTER BETA', 'B'], 0x0395: ['GREEK CAPITAL LETTER EPSILON', 'E'],
  0x0396: ['GREEK CAPITAL LETTER ZETA', 'Z'], 0x0397: ['GREEK CAPITAL LETTER ETA', 'H'], 0x0399: ['GREEK CAPITAL LETTER IOTA', 'I'],
  0x039a: ['GREEK CAPITAL LETTER KAPPA', 'K'], 0x039c: ['GREEK CAPITAL LETTER MU', 'M'], 0x039d: ['GREEK CAPITAL LETTER NU', 'N'],
  0x039f: ['GREEK CAPITAL LETTER OMICRON', 'O'], 0x03a1: ['GREEK CAPITAL LETTER RHO', 'P'], 0x03a4: ['GREEK CAPITAL LETTER TAU', 'T'],
  0x03a5: ['GREEK CAPITAL LETTER UPSILON', 'Y'], 0x03a7: ['GREEK CAPITAL LETTER CHI', 'X'],
  0x03bf: ['GREEK SMALL LETTER OMICRON', 'o'], 0x03bd: ['GREEK SMALL LETTER NU', 'v'], 0x03b9: ['GREEK SMALL LETTER IOTA', 'i'],
  0x03ba: ['GREEK SMALL LETTER KAPPA', 'k'], 0x03c1: ['GREEK SMALL LETTER RHO', 'p'], 0x03c5: ['GREEK SMALL LETTER UPSILON', 'u'],
};

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const FORMAT = /\p{Cf}/u;
const LATIN = /\p{Script=Latin}/u;
const WORD = /[\p{L}\p{M}]+/gu;

/** "at character N" for a string index, counted in characters as the length limits are. */
const at = (text: string, index: number) => `at character ${[...text.slice(0, index)].length + 1}`;

/**
 * The first invisible or confusable character of `text`, as a clause after "found" that names
 * it and says how to fix it; undefined when there is none. Confusable means a Cyrillic or Greek
 * look-alike in a word with Latin letters ("Nginх"), or a word made only of look-alikes in a
 * text that has Latin letters ("Web сору"); Russian or Greek words of their own, and units
 * such as "μs", pass.
 */
export function confusableCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (INVISIBLE[cp] || FORMAT.test(ch)) {
      return `${hex(cp)} ${INVISIBLE[cp] ?? '(an invisible format character)'} ${at(text, i)}, which shows as nothing; delete it (retype the text around it if you cannot see where it is)`;
    }
    i += ch.length;
  }
  if (!LATIN.test(text)) return undefined;
  for (const word of text.matchAll(WORD)) {
    const letters = [...word[0]];
    const mixed = letters.some((c) => LATIN.test(c));
    if (!mixed && !letters.every((c) => LOOKALIKES[c.codePointAt(0)!])) continue;
    const offset = letters.findIndex((c) => LOOKALIKES[c.codePointAt(0)!]);
    if (offset < 0) continue;
    const cp = letters[offset].codePointAt(0)!;
    const index = word.index! + letters.slice(0, offset).join('').length;
    const [name, latin] = LOOKALIKES[cp];
    return `${hex(cp)} ${name} ${at(text, index)} in "${word[0]}", which looks like the Latin "${latin}"; type the Latin letter`;
  }
  return undefined;
}
