/**
 * A merchant text for the Chinese half of a bilingual output: the merchant's own Chinese when
 * the definition has it, otherwise the English words quoted and marked as the merchant's
 * original (商家原文), so a reader never takes an untranslated text for a translation.
 */
export function chineseOrQuoted(en: string, zh: string | null | undefined): string {
  return zh ?? `“${en}”（商家原文）`;
}
