/**
 * listing.html: the listing sheet as one self-contained page (inline CSS, the logo as a data
 * URI, no network), with a copy button per value, for the merchant filling seller center.
 */
import type { Bilingual, FieldValue, Sheet } from './sheet.js';

/**
 * Font stacks. Latin faces first, so English text keeps them; Chinese characters, which those
 * lack, fall through to the CJK faces: PingFang SC and Hiragino Sans GB (macOS), Microsoft YaHei
 * (Windows), Noto Sans CJK SC / Source Han Sans SC (the same design under two names: most Linux
 * desktops, Android) and WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, which CI installs).
 * Naming them, instead of leaving Chinese to the browser's own fallback, is what keeps the
 * Chinese halves from rendering as boxes. The elements holding Chinese carry lang="zh-CN", so
 * the browser also picks the Simplified Chinese forms of a face.
 */
export const CJK_FONTS = ['PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei'];
const LATIN_FONTS = ['system-ui', '-apple-system', 'Segoe UI', 'Roboto', 'Noto Sans', 'Helvetica Neue', 'Arial'];
const MONO_FONTS = ['ui-monospace', 'SFMono-Regular', 'Menlo', 'Consolas'];
const GENERIC = new Set(['system-ui', '-apple-system', 'ui-monospace', 'sans-serif', 'monospace']);
const stack = (...families: string[]) => families.map((f) => (GENERIC.has(f) ? f : `"${f}"`)).join(', ');
const SANS = stack(...LATIN_FONTS, ...CJK_FONTS, 'sans-serif');
/**
 * `monospace` before the CJK names, not last: it always resolves, so a Latin face draws the IDs
 * where none of MONO_FONTS is installed (Linux), instead of the first CJK face; the Chinese
 * cells (region names) still reach the CJK faces after it, as the browser tries each family in
 * turn for a character the previous ones lack (https://www.w3.org/TR/css-fonts-4/#font-matching-algorithm).
 */
const MONO = stack(...MONO_FONTS, 'monospace', ...CJK_FONTS);

const HAN = /\p{Script=Han}/u;
/** lang for a text of unknown language (a table cell, a single-language value): Chinese when it has a Han character. */
const langOf = (text: string) => (HAN.test(text) ? ' lang="zh-CN"' : '');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const copyable = (text: string, lang?: 'zh' | 'en') =>
  `<div class="value"${lang ? ` lang="${lang === 'zh' ? 'zh-CN' : 'en'}"` : langOf(text)}><span class="text">${esc(text)}</span><button type="button" class="copy" data-copy="${esc(text)}" title="Copy / 复制">Copy</button></div>`;

const label = (b: Bilingual) => `<span lang="en">${esc(b.en)}</span> <span class="zh" lang="zh-CN">${esc(b.zh)}</span>`;

function value(v: FieldValue): string {
  switch (v.kind) {
    case 'text':
      return copyable(v.text);
    case 'bilingual':
      return `<div class="pair"><div><span class="tag" lang="zh-CN">中文</span>${copyable(v.zh, 'zh')}</div><div><span class="tag">EN</span>${copyable(v.en, 'en')}</div></div>`;
    case 'list':
      return `<ol class="pair-list">${v.items.map((i) => `<li><div class="pair"><div><span class="tag" lang="zh-CN">中文</span>${copyable(i.zh, 'zh')}</div><div><span class="tag">EN</span>${copyable(i.en, 'en')}</div></div></li>`).join('')}</ol>`;
    case 'table':
      return `<table><thead><tr>${v.head.map((h) => `<th>${label(h)}</th>`).join('')}</tr></thead><tbody>${v.rows.map((r) => `<tr>${r.map((c, i) => `<td${langOf(c)}>${v.copy.includes(i) ? copyable(c) : `<span class="text">${esc(c)}</span>`}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  }
}

const CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --line: #dde2ea; --accent: #0b6b3a; --warn-bg: #fff5e0; --warn: #8a5300; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 ${SANS}; color: var(--ink); background: #f5f7fa; }
header { display: flex; gap: 20px; align-items: center; padding: 24px 32px; background: #fff; border-bottom: 1px solid var(--line); }
header img { width: 72px; height: 72px; border-radius: 14px; }
h1 { margin: 0; font-size: 22px; }
h1 .zh { display: block; font-size: 18px; color: var(--muted); font-weight: 500; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
.banner { padding: 12px 16px; border-radius: 8px; background: var(--warn-bg); color: var(--warn); margin-bottom: 20px; border: 1px solid #f3d9a4; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; margin-bottom: 24px; overflow: hidden; }
section h2 { margin: 0; padding: 14px 20px; font-size: 17px; border-bottom: 1px solid var(--line); background: #fafbfc; }
.field { display: grid; grid-template-columns: 230px 1fr; gap: 16px; padding: 14px 20px; border-bottom: 1px solid var(--line); }
.field:last-child { border-bottom: 0; }
.field > .name { font-weight: 600; }
.field > .name .zh { display: block; font-weight: 400; color: var(--muted); }
.value { display: flex; gap: 8px; align-items: flex-start; }
.value .text { white-space: pre-wrap; word-break: break-word; flex: 1; }
.pair { display: grid; gap: 6px; }
.pair > div { display: flex; gap: 8px; align-items: flex-start; }
.pair > div > .value { flex: 1; }
.tag { flex: none; font-size: 11px; font-weight: 700; color: #fff; background: var(--accent); border-radius: 4px; padding: 1px 6px; margin-top: 3px; min-width: 34px; text-align: center; }
ol.pair-list { margin: 0; padding-left: 20px; display: grid; gap: 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
th { background: #fafbfc; font-weight: 600; }
th .zh { display: block; font-weight: 400; color: var(--muted); }
td .text { font-family: ${MONO}; font-size: 13px; }
.note { grid-column: 2; color: var(--muted); font-size: 13px; margin-top: -8px; }
button.copy { flex: none; font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; color: var(--muted); }
button.copy:hover { border-color: var(--accent); color: var(--accent); }
button.copy.done { background: var(--accent); color: #fff; border-color: var(--accent); }
.links { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 20px; margin-bottom: 24px; }
.links ul { margin: 6px 0 0; padding-left: 20px; }
.links .zh { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; padding-bottom: 24px; }
`;

const SCRIPT = `
document.addEventListener('click', async (e) => {
  const b = e.target.closest('button.copy');
  if (!b) return;
  try { await navigator.clipboard.writeText(b.dataset.copy); } catch { const t = document.createElement('textarea'); t.value = b.dataset.copy; document.body.append(t); t.select(); document.execCommand('copy'); t.remove(); }
  b.classList.add('done'); b.textContent = 'Copied'; setTimeout(() => { b.classList.remove('done'); b.textContent = 'Copy'; }, 1200);
});
`;

export function renderHtml(sheet: Sheet, logoPng: Uint8Array): string {
  const logo = `data:image/png;base64,${Buffer.from(logoPng).toString('base64')}`;
  const sections = sheet.sections.map((s) => `
<section>
<h2>${esc(s.title.en)} <span class="zh" lang="zh-CN">/ ${esc(s.title.zh)}</span></h2>
${s.fields.map((f) => `<div class="field"><div class="name">${label(f.label)}</div><div>${value(f.value)}</div>${f.note ? `<div class="note">${esc(f.note.en)} <span lang="zh-CN">${esc(f.note.zh)}</span></div>` : ''}</div>`).join('\n')}
</section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(sheet.title.en)} / ${esc(sheet.title.zh)}</title>
<style>${CSS}</style>
</head>
<body>
<header><img src="${logo}" alt="logo" width="120" height="120"><h1>${esc(sheet.title.en)}<span class="zh" lang="zh-CN">${esc(sheet.title.zh)}</span></h1></header>
<main>
${sheet.planned ? '<div class="banner" role="status"><strong>Planned / <span lang="zh-CN">计划中</span></strong>: no image has been built yet, so image IDs are marked planned; regenerate after a build. / <span lang="zh-CN">镜像尚未构建，镜像ID标记为计划中；构建完成后请重新生成。</span></div>' : ''}
${sheet.warnings.map((w) => `<div class="banner warning" role="alert"><strong>Warning / 警告</strong>: ${esc(w.en)} <span lang="zh-CN">${esc(w.zh)}</span></div>`).join('\n')}
<nav class="links" aria-label="Where to enter it / 填写位置"><strong>Where to enter it / <span lang="zh-CN">填写位置</span></strong><ul>${sheet.links.map((l) => `<li><a href="${esc(l.url)}" rel="noopener noreferrer" target="_blank">${esc(l.en)}</a> <span class="zh" lang="zh-CN">${esc(l.zh)}</span></li>`).join('')}</ul></nav>
${sections}
</main>
<footer>Generated by image-factory manifest / <span lang="zh-CN">由 image-factory manifest 生成</span></footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
