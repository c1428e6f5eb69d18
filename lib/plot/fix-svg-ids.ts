/**
 * Replace plotly's random figure uid in SVG element ids (`defs-<uid>`,
 * `clip<uid>xyplot`, `url(#legend<uid>)`, ...) by one derived from the SVG's
 * content, so the same figure always gives the same bytes while different
 * figures keep distinct ids (SVGs inlined into one page do not clash).
 * plotly draws the uid so that it differs from every `<defs>` already in the
 * page, so seeding Math.random alone did not make it repeatable: once in a
 * while a render saw a different uid. Ids do not change pixels, so PNGs need
 * no such step.
 *
 * @param svg - an SVG document from `Plotly.toImage`
 * @returns the same document with the uid replaced by `t` + 8 hex digits (FNV-1a of the
 *   document with the uid blanked) in ids and `url(#...)` references; text is untouched
 * @example
 * fixSvgIds('<svg><defs id="defs-63fb74"></defs><g clip-path="url(#clip63fb74xy)"></g></svg>');
 * // '<svg><defs id="defs-t1a2b3c4d"></defs><g clip-path="url(#clipt1a2b3c4dxy)"></g></svg>' (digits vary with content)
 */
export function fixSvgIds(svg: string): string {
  const uid = /<defs id="defs-([0-9a-z]+)"/.exec(svg)?.[1];
  if (uid === undefined) return svg;
  const pattern = new RegExp(`(id="[A-Za-z-]*|url\\(#[A-Za-z-]*)${uid}`, "g");
  const stable = `t${fnv1a(svg.replace(pattern, "$1"))}`;
  return svg.replace(pattern, `$1${stable}`);
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
