import { requireArg } from "../core/errors.ts";
import { EMPTY_KV_PREFIX, kvSpanBytes, sliceKvSpan, type KvPrefix, type KvSpan } from "./kv-span.ts";

/** Options of {@link PrefixKvCache}. */
export interface PrefixKvCacheOptions {
  /** Most bytes of K/V (and per-position values) kept; least recently used leaves go first. Default 64 MiB; 0 keeps nothing. */
  maxBytes?: number;
}

/** What a {@link PrefixKvCache} holds and has done. */
export interface PrefixKvCacheStats {
  /** Token positions held (each distinct prefix once). */
  tokens: number;
  /** Bytes of K/V held. */
  bytes: number;
  /** Tree nodes held (root excluded). */
  nodes: number;
  lookups: number;
  /** Positions supplied by lookups, summed. */
  hitTokens: number;
  /** Nodes dropped to stay under `maxBytes`. */
  evictions: number;
}

/** A run of tokens and their K/V, below the run it continues. */
interface Node {
  label: Int32Array;
  span: KvSpan;
  parent: Node | null;
  children: Map<number, Node>;
  /** Clock of the last lookup or insert that passed through. */
  used: number;
  bytes: number;
}

/** Default {@link PrefixKvCacheOptions.maxBytes}: 64 MiB. */
export const DEFAULT_PREFIX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * A bounded prefix cache of K/V keyed by token ids, shaped as a radix tree
 * (SGLang's RadixAttention): each distinct prefix is stored once, a lookup
 * returns the K/V of the longest stored prefix of a sequence (up to a
 * limit), and an insert stores only what is new. When the bytes held pass
 * `maxBytes`, least recently used leaves are dropped until they fit.
 *
 * The cache does not know the model: keep one per model and {@link PrefixKvCache.clear}
 * it when the weights change. Spans returned by a lookup stay valid after
 * eviction (they are dropped from the cache, not overwritten); do not modify them.
 *
 * @example
 * const cache = new PrefixKvCache({ maxBytes: 16 << 20 });
 * const hit = cache.lookup(ids, ids.length - 1); // { length, spans } for KvDecoder.writeKv / SequenceOptions.cache
 * cache.insert(fedIds, (from, to) => generation.readKv(row, from, to));
 * @see Zheng et al. 2024, "SGLang: Efficient Execution of Structured Language Model Programs", §3 (RadixAttention)
 */
export class PrefixKvCache {
  readonly maxBytes: number;
  private root: Node = newRoot();
  private clock = 0;
  private readonly counts = { tokens: 0, bytes: 0, nodes: 0, lookups: 0, hitTokens: 0, evictions: 0 };

  /** @throws InvalidArgumentError on a negative or non-finite maxBytes */
  constructor(options: PrefixKvCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_PREFIX_CACHE_BYTES;
    requireArg("PrefixKvCache", Number.isFinite(this.maxBytes) && this.maxBytes >= 0, "maxBytes ≥ 0", this.maxBytes);
  }

  /**
   * The K/V of the longest stored prefix of `ids`, at most `maxLength`
   * positions (it may end inside a stored run); marks it recently used.
   *
   * @param ids - token ids
   * @param maxLength - most positions wanted (default all of `ids`; a policy asks for ids.length − 1 so it still feeds one token)
   * @returns `{ length: 0, spans: [] }` when nothing matches
   */
  lookup(ids: readonly number[], maxLength: number = ids.length): KvPrefix {
    this.counts.lookups++;
    const limit = Math.min(ids.length, Math.max(0, maxLength));
    const tick = ++this.clock;
    const spans: KvSpan[] = [];
    let [node, at] = [this.root, 0];
    while (at < limit) {
      const child = node.children.get(ids[at] as number);
      if (child === undefined) break;
      const k = common(child.label, ids, at, limit);
      child.used = tick;
      spans.push(child.span);
      at += k;
      if (k < child.label.length) break;
      node = child;
    }
    this.counts.hitTokens += at;
    return at === 0 ? EMPTY_KV_PREFIX : { length: at, spans };
  }

  /**
   * Store `ids`' K/V: `read(from, to)` is asked for exactly the positions not
   * stored yet (none when `ids` is stored already), then least recently used
   * leaves are evicted while the cache holds more than `maxBytes`.
   *
   * @param read - returns a span of positions [from, to) of `ids` (the cache keeps it; give it arrays nobody else writes)
   * @throws InvalidArgumentError when `read` returns a span of another length
   */
  insert(ids: readonly number[], read: (from: number, to: number) => KvSpan): void {
    if (this.maxBytes === 0 || ids.length === 0) return;
    const tick = ++this.clock;
    let [node, at] = [this.root, 0];
    while (at < ids.length) {
      const child = node.children.get(ids[at] as number);
      if (child === undefined) break;
      const k = common(child.label, ids, at, ids.length);
      child.used = tick;
      at += k;
      if (k < child.label.length && at === ids.length) break; // ends inside a held run: nothing new
      node = k < child.label.length ? this.split(child, k) : child;
    }
    if (at < ids.length) {
      const span = read(at, ids.length);
      requireArg("PrefixKvCache.insert", span.length === ids.length - at, `a span of ${ids.length - at} positions from read(${at}, ${ids.length})`, span.length);
      this.attach(node, Int32Array.from(ids.slice(at)), span, tick);
    }
    this.evict();
  }

  /** Drop everything (keep the counters of lookups and evictions). */
  clear(): void {
    this.root = newRoot();
    [this.counts.tokens, this.counts.bytes, this.counts.nodes] = [0, 0, 0];
  }

  /** Sizes and counters. */
  stats(): PrefixKvCacheStats {
    return { ...this.counts };
  }

  /** Cut `node` after its first k tokens; returns the new upper part. */
  private split(node: Node, k: number): Node {
    const parent = node.parent as Node;
    const head: Node = { label: node.label.slice(0, k), span: sliceKvSpan(node.span, 0, k), parent, children: new Map(), used: node.used, bytes: 0 };
    const tail = sliceKvSpan(node.span, k, node.label.length);
    this.counts.bytes -= node.bytes;
    [node.label, node.span, node.parent] = [node.label.slice(k), tail, head];
    [head.bytes, node.bytes] = [nodeBytes(head), nodeBytes(node)];
    this.counts.bytes += head.bytes + node.bytes;
    this.counts.nodes++;
    head.children.set(node.label[0] as number, node);
    parent.children.set(head.label[0] as number, head);
    return head;
  }

  private attach(parent: Node, label: Int32Array, span: KvSpan, tick: number): void {
    const node: Node = { label, span, parent, children: new Map(), used: tick, bytes: 0 };
    node.bytes = nodeBytes(node);
    parent.children.set(label[0] as number, node);
    this.counts.bytes += node.bytes;
    this.counts.tokens += label.length;
    this.counts.nodes++;
  }

  private evict(): void {
    while (this.counts.bytes > this.maxBytes) {
      let victim: Node | undefined;
      const visit = (n: Node): void => {
        for (const c of n.children.values()) {
          if (c.children.size > 0) visit(c);
          else if (victim === undefined || c.used < victim.used) victim = c;
        }
      };
      visit(this.root);
      if (victim === undefined) return;
      (victim.parent as Node).children.delete(victim.label[0] as number);
      this.counts.bytes -= victim.bytes;
      this.counts.tokens -= victim.label.length;
      this.counts.nodes--;
      this.counts.evictions++;
    }
  }
}

function newRoot(): Node {
  return { label: new Int32Array(0), span: { length: 0, k: [], v: [] }, parent: null, children: new Map(), used: 0, bytes: 0 };
}

function nodeBytes(n: Node): number {
  return kvSpanBytes(n.span) + n.label.byteLength;
}

/** Length of the common run of `label` and `ids[at … limit)`. */
function common(label: Int32Array, ids: readonly number[], at: number, limit: number): number {
  let k = 0;
  while (k < label.length && at + k < limit && label[k] === ids[at + k]) k++;
  return k;
}
