import { requireArg, requireEach } from "../core/errors.ts";
import { STEP_SEPARATOR } from "./format.ts";

/** Options for {@link CharTokenizer.encode}. */
export interface EncodeOptions {
  /** Prepend BOS (default false). */
  bos?: boolean;
  /** Append EOS (default false). */
  eos?: boolean;
}

/** Options for {@link CharTokenizer.decode}. */
export interface DecodeOptions {
  /** Stop at the first EOS, dropping it and everything after (default true). */
  stopAtEos?: boolean;
}

/**
 * A character-level tokenizer: one id per character, plus special tokens.
 * Ids 0–3 are PAD, BOS, EOS and the step separator (the character `"\n"`);
 * the task's characters follow in the order given.
 *
 * PAD, BOS and EOS have no character: `encode` adds BOS/EOS on request,
 * `decode` drops PAD and BOS and stops at EOS.
 */
export class CharTokenizer {
  /** Padding id (0), for right-padding batches. */
  readonly pad = 0;
  /** Beginning-of-sequence id (1). */
  readonly bos = 1;
  /** End-of-sequence id (2): a completion ends here. */
  readonly eos = 2;
  /** Step-separator id (3): ends each step line. */
  readonly sep = 3;
  /** Token strings by id: `"<pad>"`, `"<bos>"`, `"<eos>"`, `"\n"`, then the characters. */
  readonly vocab: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  /**
   * @param chars - the task's characters (each one code unit, distinct, not the separator)
   * @throws InvalidArgumentError on a repeated, multi-character or separator entry
   */
  constructor(chars: readonly string[]) {
    requireArg(
      "CharTokenizer",
      chars.every((c) => c.length === 1 && c !== STEP_SEPARATOR) && new Set(chars).size === chars.length,
      "distinct single characters other than the step separator",
      chars,
    );
    this.vocab = ["<pad>", "<bos>", "<eos>", STEP_SEPARATOR, ...chars];
    this.ids = new Map(this.vocab.map((t, i) => [t, i] as [string, number]).filter(([, i]) => i >= this.sep));
  }

  /** Number of ids (specials included): the model's vocabulary size. */
  get vocabSize(): number {
    return this.vocab.length;
  }

  /**
   * Text to ids.
   *
   * @throws InvalidArgumentError on a character outside the vocabulary
   * @example
   * CHAIN_TOKENIZER.encode("+5=352", { bos: true }); // [1, 14, 9, 17, 7, 9, 6]
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = options.bos ? [this.bos] : [];
    for (let i = 0; i < text.length; i++) {
      const id = this.ids.get(text.charAt(i));
      requireEach("CharTokenizer.encode", id !== undefined, "characters in the vocabulary", () => `${JSON.stringify(text.charAt(i))} at index ${i}`);
      out.push(id);
    }
    if (options.eos) out.push(this.eos);
    return out;
  }

  /**
   * Ids to text: PAD and BOS are dropped; by default decoding stops at EOS.
   *
   * @throws InvalidArgumentError on an id outside the vocabulary
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const stopAtEos = options.stopAtEos ?? true;
    let text = "";
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      requireEach("CharTokenizer.decode", Number.isInteger(id) && id >= 0 && id < this.vocab.length, `ids in 0..${this.vocab.length - 1}`, () => `${id} at index ${i}`);
      if (id === this.eos) {
        if (stopAtEos) break;
        continue;
      }
      if (id === this.pad || id === this.bos) continue;
      text += this.vocab[id] as string;
    }
    return text;
  }
}

/**
 * The chain tasks' tokenizer: PAD, BOS, EOS, `"\n"`, the digits `0`–`9`,
 * then `+ - * = # .` (vocabulary size 20).
 */
export const CHAIN_TOKENIZER = new CharTokenizer([..."0123456789", "+", "-", "*", "=", "#", "."]);
