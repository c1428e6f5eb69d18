import { requireArg } from "../core/errors.ts";

/** Shape of a decoder-only transformer (see {@link createTransformer}). */
export interface TransformerConfig {
  /** Vocabulary size V (the chain tasks' tokenizer has 20). */
  vocabSize: number;
  /** Residual width D. */
  dModel: number;
  /** Number of pre-LN blocks. */
  layers: number;
  /** Query heads H; D must be divisible by H. */
  heads: number;
  /** KV heads H_kv (GQA when H_kv < H, MQA when 1); must divide H. Default: `heads` (MHA). */
  kvHeads?: number;
  /** MLP hidden width F (usually 4·D). */
  dFF: number;
  /** Longest sequence (learned positions); a decode cannot go past it. */
  maxLen: number;
}

/** Name and shape of one parameter tensor, in checkpoint order. */
export interface ParamSpec {
  name: string;
  shape: number[];
}

/**
 * Validate a config and fill its defaults.
 *
 * @throws InvalidArgumentError on non-positive sizes, D not divisible by H, or H_kv not dividing H
 */
export function resolveConfig(config: TransformerConfig): Required<TransformerConfig> {
  const { vocabSize, dModel, layers, heads, dFF, maxLen } = config;
  const kvHeads = config.kvHeads ?? heads;
  const sizes = { vocabSize, dModel, layers, heads, kvHeads, dFF, maxLen };
  requireArg("resolveConfig", Object.values(sizes).every((x) => Number.isSafeInteger(x) && x >= 1), "positive integer sizes", config);
  requireArg("resolveConfig", dModel % heads === 0, "dModel divisible by heads", config);
  requireArg("resolveConfig", heads % kvHeads === 0, "kvHeads dividing heads", config);
  return sizes;
}

/**
 * Every parameter of a model with this config, in the fixed order used by
 * checkpoints: `tok_emb` [V, D], `pos_emb` [maxLen, D]; per block `l{i}.`
 * `ln1.g`, `ln1.b` [D], `wq` [D, D], `wk`, `wv` [D, H_kv·d], `wo` [D, D],
 * `ln2.g`, `ln2.b` [D], `w1` [D, F], `b1` [F], `w2` [F, D], `b2` [D]; then
 * `lnf.g`, `lnf.b` [D]. The output head is tied to `tok_emb`.
 */
export function paramSpecs(config: TransformerConfig): ParamSpec[] {
  const c = resolveConfig(config);
  const [d, kvD] = [c.dModel, (c.dModel / c.heads) * c.kvHeads];
  const specs: ParamSpec[] = [
    { name: "tok_emb", shape: [c.vocabSize, d] },
    { name: "pos_emb", shape: [c.maxLen, d] },
  ];
  for (let l = 0; l < c.layers; l++) {
    const block: [string, number[]][] = [
      ["ln1.g", [d]], ["ln1.b", [d]], ["wq", [d, d]], ["wk", [d, kvD]], ["wv", [d, kvD]], ["wo", [d, d]],
      ["ln2.g", [d]], ["ln2.b", [d]], ["w1", [d, c.dFF]], ["b1", [c.dFF]], ["w2", [c.dFF, d]], ["b2", [d]],
    ];
    for (const [name, shape] of block) specs.push({ name: `l${l}.${name}`, shape });
  }
  specs.push({ name: "lnf.g", shape: [d] }, { name: "lnf.b", shape: [d] });
  return specs;
}

/** Total number of parameters (the tied head counted once). */
export function countParams(config: TransformerConfig): number {
  return paramSpecs(config).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}
