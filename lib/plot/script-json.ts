/**
 * JSON for a value, safe to paste inside an HTML `<script>` element: `<`, `>`,
 * `&`, U+2028 and U+2029 are written as `\u` escapes, so a label such as
 * `"</script>"` cannot end the script early. Parses back to the same value.
 *
 * @param value - any JSON-serialisable value (NaN and ±Infinity become `null`)
 * @returns a JavaScript expression evaluating to `value`
 * @example
 * scriptJson({ text: "</script>" }) // '{"text":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return (JSON.stringify(value) ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * JavaScript source made safe for an inline `<script>` element: every `</script`
 * (any case) becomes `<\/script`, which means the same inside a JS string.
 * The plotly bundle contains none today; this guards future versions.
 *
 * @param js - JavaScript source
 * @returns the same source, safe to inline
 * @example
 * inlineScript('s = "</script>"') // 's = "<\\/script>"'
 */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1");
}
