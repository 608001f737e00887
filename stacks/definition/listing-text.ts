/**
 * Length and character limits of the texts a merchant pastes into KooGallery seller center.
 * Huawei's seller guide (https://support.huaweicloud.com/intl/en-us/accessg-marketplace/en-us_topic_0070649079.html
 * and the image release guide it links) publishes no numbers for these fields, so these are the
 * factory's choice, listed in the README ("What is rejected, what warns"): short enough for the
 * seller center's single-line fields and product cards, counted in characters (a Chinese
 * character counts as one), the same in both languages.
 */
import type { z } from 'zod';
import { confusableCharacter } from './confusables.js';

export const TEXT_LIMITS = {
  productName: 50,
  overview: 200,
  description: 5000,
  highlight: 100,
  specificationName: 50,
} as const;

/** Control characters garble the seller-center form; tabs and line breaks only where a text has lines. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u;
const LINE_BREAK = /[\t\r\n]/;
/** Markup would be shown as text, or stripped, by the seller center. */
const MARKUP = /<[a-zA-Z/!][^>]*>/;

export interface TextRule {
  readonly max: number;
  /** Line breaks allowed (the description). @default false */
  readonly multiline?: boolean;
}

/** Why `text` breaks its rule, as a clause after "found"; undefined when it is fine. */
function textProblem(text: string, rule: TextRule): string | undefined {
  const length = [...text].length;
  if (length > rule.max) return `${length} characters`;
  const control = CONTROL.exec(text) ?? (rule.multiline ? null : LINE_BREAK.exec(text));
  if (control) return `the control character U+${control[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()} at character ${[...text.slice(0, control.index)].length + 1}${rule.multiline ? '' : ' (this field is one line)'}`;
  const unseen = confusableCharacter(text);
  if (unseen) return unseen;
  const markup = MARKUP.exec(text);
  if (markup) return `the markup "${markup[0].slice(0, 30)}" (seller center takes plain text)`;
  return undefined;
}

/** A zod refinement: `what` within `rule`, reported as `expected ... found ...`. */
export const withinRule = (what: string, rule: TextRule) => (s: string, ctx: z.core.$RefinementCtx<string>) => {
  const found = textProblem(s, rule);
  if (found) ctx.addIssue({ code: 'custom', message: `expected ${what} of at most ${rule.max} characters of plain ${rule.multiline ? '' : 'one-line '}text, found ${found}` });
};

/** A zod refinement for other free texts (security-group descriptions): no invisible or look-alike characters. */
export const withoutConfusables = (what: string) => (s: string, ctx: z.core.$RefinementCtx<string>) => {
  const found = confusableCharacter(s);
  if (found) ctx.addIssue({ code: 'custom', message: `expected ${what} in characters a reader can see and tell apart, found ${found}` });
};
