/**
 * ttc-lab: reference implementations for test-time compute research.
 * Explicit, grouped re-exports; see each module for documentation.
 */

// core: randomness, errors, numerics, tensor backends
export { rng, rngFromState } from "./core/rng.ts";
export type { Rng } from "./core/rng.ts";
export { DataError, InvalidArgumentError, TtcError, UnknownNameError, formatValue, requireArg, requireEach } from "./core/errors.ts";
export { logChoose, logGamma, logSumExp } from "./core/math.ts";
export { AUTO_BACKENDS, BACKENDS, WEBGPU_TIMEOUT_MS, backendFromArgv, describeBackend, runtimeName, selectBackend } from "./core/backend.ts";
export type { BackendInfo, BackendName, SelectBackendOptions } from "./core/backend.ts";

// attention: dense (reference), tiled online-softmax, shared-prefix (Hydragen), block top-k sparse decode, KV cache
export { groupSizeOf, headLayout } from "./attention/head-layout.ts";
export type { HeadLayout, HeadLayoutKind } from "./attention/head-layout.ts";
export type { AttentionOptions } from "./attention/attention-options.ts";
export { denseAttention, denseAttentionWithLse } from "./attention/dense-attention.ts";
export type { AttentionResult } from "./attention/dense-attention.ts";
export { tiledAttention } from "./attention/tiled-attention.ts";
export type { TiledAttentionOptions } from "./attention/tiled-attention.ts";
export { mergeAttention } from "./attention/merge-attention.ts";
export { KvCache, plainKvStorage } from "./attention/kv-cache.ts";
export type { KvArrays, KvBlock, KvCacheOptions, KvPlace, KvStorage } from "./attention/kv-cache.ts";
export { decodePathFor, denseDecode, denseDecodeArrays } from "./attention/dense-decode.ts";
export { DecodeThreads, decodePlan, THREADED_MIN_WORK } from "./attention/decode-threads.ts";
export type { BatchJob } from "./attention/decode-threads.ts";
export { decodeSequenceWasm, densePlan, SegmentPlanBuilder } from "./attention/wasm-decode-rows.ts";
export type { SegmentPlan, SequenceJob } from "./attention/wasm-decode-rows.ts";
export type { DecodePath, DenseDecodeOptions, DenseDecodeResult } from "./attention/dense-decode.ts";
export { WasmKvStorage, wasmSimdAvailable } from "./attention/wasm-kv.ts";
export type { WasmKvStorageOptions } from "./attention/wasm-kv.ts";
export { cacheTensors, prefixKv, readHead } from "./attention/kv-tensors.ts";
export type { PrefixKv } from "./attention/kv-tensors.ts";
export { sharedPrefixDecode } from "./attention/shared-prefix-decode.ts";
export type { SharedPrefixDecodeOptions, SuffixKv } from "./attention/shared-prefix-decode.ts";
export { SelectionScratch, blockScore, candidateBlocks, keptRanges, scoreCandidatesWasm, selectTopBlocks, topBlocksFromScores } from "./attention/block-selection.ts";
export type { BlockSelection, BlockSummary, KeptRegions } from "./attention/block-selection.ts";
export { blockSparseDecode } from "./attention/block-sparse-decode.ts";
export type { BlockSparseDecodeOptions, BlockSparseDecodeResult } from "./attention/block-sparse-decode.ts";
export { blockSparseDecodeArrays, keptRegions } from "./attention/block-sparse-decode.ts";
export type { BlockSparseSelection } from "./attention/block-sparse-decode.ts";

// cost: model shapes, hardware, FLOPs / bytes / Kinetics eFLOPs
export { kvElementsPerToken, parameterCount } from "./cost/model-shape.ts";
export type { ModelShape, ParameterCount } from "./cost/model-shape.ts";
export { tinyModelShape } from "./cost/tiny-shape.ts";
export type { TinyTransformerSizes } from "./cost/tiny-shape.ts";
export { MODEL_SHAPES, QWEN3_DENSE, modelShape } from "./cost/model-shapes.ts";
export { HARDWARE, KINETICS_E, ridgePoint } from "./cost/hardware.ts";
export type { Hardware } from "./cost/hardware.ts";
export { DEFAULT_CPU_BYTES_PER_S, loadThisMachine, thisMachineHardware } from "./cost/this-machine.ts";
export type { MatmulBenchResults } from "./cost/this-machine.ts";
export { addCosts, kineticsEflops, rooflineSeconds, scaleCost, totalBytes, totalFlops, zeroCost } from "./cost/cost.ts";
export type { Cost } from "./cost/cost.ts";
export { spanCounts } from "./cost/attention-span.ts";
export type { AttentionSpan, SpanCounts } from "./cost/attention-span.ts";
export { decodeCost, prefillCost } from "./cost/decode-cost.ts";
export type { DecodeCostOptions, PrefillCostOptions } from "./cost/decode-cost.ts";
export { bestOfNCost, longChainOfThoughtCost } from "./cost/test-time-cost.ts";
export type { BestOfNCostOptions, LongChainOfThoughtCostOptions } from "./cost/test-time-cost.ts";
export { kineticsBlockSparseCost, kineticsDenseCost, kineticsInputs } from "./cost/kinetics-cost.ts";
export type { KineticsCost, KineticsInputs } from "./cost/kinetics-cost.ts";

// cost/io: an instrumented two-level memory and attention schedules on it
export { TwoLevelMemory } from "./cost/io/two-level-memory.ts";
export { chooseFlashBlocks, flashAttentionIO, flashFootprint } from "./cost/io/flash-attention-io.ts";
export type { AttentionIOResult, FlashAttentionIOOptions, FlashOrder } from "./cost/io/flash-attention-io.ts";
export { naiveAttentionIO, softmaxRowsIO } from "./cost/io/naive-attention-io.ts";
export { blockedMatMulIO, matMulTile } from "./cost/io/blocked-matmul-io.ts";
export type { MatMulOperands } from "./cost/io/blocked-matmul-io.ts";
export { attentionIOBounds, attentionReference } from "./cost/io/reference.ts";

// data: the sample table, its readers/writers, importers for public dump schemas
export { SampleTable } from "./data/sample-table.ts";
export type { ProblemCount, ProblemRef } from "./data/sample-table.ts";
export { SampleTableBuilder } from "./data/sample-table-builder.ts";
export type { SampleTableBuilderOptions } from "./data/sample-table-builder.ts";
export type { Ragged, SampleColumns } from "./data/sample-columns.ts";
export { OPTIONAL_COLUMNS, SAMPLE_COLUMNS } from "./data/sample-row.ts";
export type { OptionalColumn, ProblemMeta, SampleRow } from "./data/sample-row.ts";
export { PartialReadError } from "./data/read-options.ts";
export type { ReadOptions, ReadResult } from "./data/read-options.ts";
export { readJsonl } from "./data/read-jsonl.ts";
export { writeJsonl } from "./data/write-jsonl.ts";
export { readCsv } from "./data/read-csv.ts";
export { writeCsv } from "./data/write-csv.ts";
export { readParquet } from "./data/read-parquet.ts";
export { writeParquet } from "./data/write-parquet.ts";
export { expandCounts, importCounts } from "./data/import-counts.ts";
export type { CountsResult } from "./data/import-counts.ts";
export { importMonkeys } from "./data/import-monkeys.ts";
export type { ImportMonkeysOptions } from "./data/import-monkeys.ts";
export { importSearchAndLearn } from "./data/import-search-and-learn.ts";
export type { ImportSearchAndLearnOptions, OutcomeScore } from "./data/import-search-and-learn.ts";
export { extractBoxed, normalizeAnswer } from "./data/extract-boxed.ts";
export { toDataFrame } from "./data/to-data-frame.ts";
export type { DataFrameLike, ToDataFrameOptions } from "./data/to-data-frame.ts";

// estimators: exact pass@k / coverage, best-of-N@k, majority@k, short-m@k, bootstrap, difficulty bins
export { logFailAll, naivePassAtK, passAtK } from "./estimators/pass-at-k.ts";
export { coverageCurve } from "./estimators/coverage-curve.ts";
export type { ProblemCounts } from "./estimators/coverage-curve.ts";
export { bestOfNAtK, bestOfNCurve } from "./estimators/best-of-n-at-k.ts";
export { bestOfNCurves } from "./estimators/best-of-n-curves.ts";
export type { BestOfNProblem } from "./estimators/best-of-n-curves.ts";
export { majorityAtK, majorityCurve } from "./estimators/majority-at-k.ts";
export type { MajorityAtKOptions, MajorityAtKResult } from "./estimators/majority-at-k.ts";
export { shortMAtK } from "./estimators/short-m-at-k.ts";
export type { ShortMAtKOptions, ShortMAtKResult } from "./estimators/short-m-at-k.ts";
export { bootstrap } from "./estimators/bootstrap.ts";
export { rocAuc } from "./estimators/roc-auc.ts";
export type { BootstrapOptions, BootstrapResult } from "./estimators/bootstrap.ts";
export { difficultyBins } from "./estimators/difficulty-bins.ts";
export { expectedSubsetExtremes } from "./estimators/subset-extremes.ts";
export { subsetFirstWeights } from "./estimators/subset-first-weights.ts";
export { hypergeometric } from "./estimators/hypergeometric.ts";
export { groupAnswers, voteCorrect } from "./estimators/answer-groups.ts";
export type { AnswerGroups } from "./estimators/answer-groups.ts";

// scaling: nonlinear least squares (Levenberg–Marquardt) and a catalogue of laws
export { fit } from "./scaling/fit.ts";
export type { FitOptions } from "./scaling/fit.ts";
export type { FitResult } from "./scaling/fit-result.ts";
export { FitConvergenceError, SingularFitError } from "./scaling/fit-errors.ts";
export type { FitData } from "./scaling/fit-data.ts";
export { defineLaw } from "./scaling/law.ts";
export type { Law, LawData, ParamBound, Params } from "./scaling/law.ts";
export { levenbergMarquardt } from "./scaling/levenberg-marquardt.ts";
export type { LeastSquaresProblem, LevenbergMarquardtOptions, LevenbergMarquardtResult } from "./scaling/levenberg-marquardt.ts";
export { studentTQuantile } from "./scaling/student-t.ts";
export { powerLaw } from "./scaling/laws/power-law.ts";
export { powerLawWithFloor } from "./scaling/laws/power-law-with-floor.ts";
export { exponentiatedPowerLaw } from "./scaling/laws/exponentiated-power-law.ts";
export { chinchilla } from "./scaling/laws/chinchilla.ts";
export { sigmoidCompute } from "./scaling/laws/sigmoid-compute.ts";
export { logLinear } from "./scaling/laws/log-linear.ts";
export { saturatingExponential, ttspm } from "./scaling/laws/saturating.ts";
export { fitBetaBinomial } from "./scaling/beta-binomial.ts";
export type { FitBetaBinomialOptions } from "./scaling/beta-binomial.ts";
export type { BetaBinomialFit, BetaBinomialParam } from "./scaling/beta-binomial-result.ts";
export { predictPassAtK } from "./scaling/predict-pass-at-k.ts";
export { impliedPowerLaw } from "./scaling/implied-power-law.ts";
export type { ImpliedPowerLaw } from "./scaling/implied-power-law.ts";
export { extrapolate } from "./scaling/extrapolate.ts";
export type { ExtrapolateOptions, ExtrapolateResult, ExtrapolatedPoint } from "./scaling/extrapolate.ts";

// sim: a calibrated world of samples
export { simulateWorld } from "./sim/world.ts";
export { simToSampleTable } from "./sim/to-sample-table.ts";
export type { SimProblem, SimWorldConfig } from "./sim/world.ts";
export { betaSample, gammaSample, normalCdf, normalQuantile } from "./sim/distributions.ts";
export { SIM_STEP_WORLD_DEFAULTS, simStepWorld } from "./sim/step-world.ts";
export type { SimStepProblem, SimStepWorld, SimStepWorldConfig } from "./sim/step-world.ts";
export { simPolicy } from "./sim/sim-policy.ts";
export { simVerifier } from "./sim/sim-verifier.ts";
export { SIM_STEP_SEPARATOR, countSimTokens, extractSimAnswer, headToken, parseSimSolution, renderTokens, stepTokens } from "./sim/step-text.ts";
export type { ParsedSimStep, SimStepHead } from "./sim/step-text.ts";

// tasks: verifiable chained-arithmetic tasks for the tiny-model world
export { LEVELS, MAX_STEPS, MODULUS, levelSpec } from "./tasks/level.ts";
export type { TaskSpec } from "./tasks/level.ts";
export { generateProblem, makeProblem, referenceValues } from "./tasks/chain-problem.ts";
export type { ChainOp, ChainOpKind, ChainProblem } from "./tasks/chain-problem.ts";
export { generateProblems } from "./tasks/generate-problems.ts";
export type { GenerateProblemsOptions } from "./tasks/generate-problems.ts";
export { TEST_FRACTION, splitOf } from "./tasks/split.ts";
export type { TaskSplit } from "./tasks/split.ts";
export { ANSWER_MARK, STEP_SEPARATOR, formatPrompt, formatSolution, parseProblem } from "./tasks/format.ts";
export { checkSteps } from "./tasks/check-steps.ts";
export type { CheckStepsResult, LineStatus, LineVerdict } from "./tasks/check-steps.ts";
export { extractAnswer } from "./tasks/extract-answer.ts";
export { isCorrect, isCorrectPrefix } from "./tasks/is-correct.ts";
export { CHAIN_TOKENIZER, CharTokenizer } from "./tasks/char-tokenizer.ts";
export { encodeExample } from "./tasks/encode-example.ts";
export type { EncodedExample } from "./tasks/encode-example.ts";

// models: a tiny decoder-only transformer (training, checkpoints, KV-cache decoding, sampling)
export { Adam, type AdamOptions, type AdamState } from "./models/adam.ts";
export { completionLoss, makeBatch, type TrainBatch, type TrainExample } from "./models/batch.ts";
export { batchesPerEpoch, batchPlan } from "./models/batch-plan.ts";
export { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint, sha256Hex, type CheckpointManifest, type LoadedCheckpoint } from "./models/checkpoint.ts";
export { generate, type GenerateOptions, type GenerateResult, type StopReason } from "./models/generate.ts";
export { Generation, type SequenceOptions } from "./models/generation.ts";
export { KvDecoder } from "./models/kv-decoder.ts";
export type { KvDecoderOptions } from "./models/kv-decoder.ts";
export { EMPTY_KV_PREFIX, kvPrefixValues, kvSpanBytes, sliceKvSpan, type KvPrefix, type KvSpan } from "./models/kv-span.ts";
export { DEFAULT_PREFIX_CACHE_BYTES, PrefixKvCache, type PrefixKvCacheOptions, type PrefixKvCacheStats } from "./models/prefix-kv-cache.ts";
export { decoderAttentionSpan, resolveBlockTopK } from "./models/decoder-attention.ts";
export type { DecoderAttention, ResolvedBlockTopK } from "./models/decoder-attention.ts";
export { SparseKvAttention } from "./models/sparse-kv-attention.ts";
export type { SparseKvShape } from "./models/sparse-kv-attention.ts";
export { GELU_SIGMOID_SCALE, gelu, LAYER_NORM_EPS, layerNorm, matMul2d } from "./models/ops.ts";
export { sampleToken, type SampledToken, type SamplingOptions } from "./models/sample-token.ts";
export { cosineSchedule, type CosineScheduleOptions } from "./models/schedule.ts";
export { formatProgress, languageModelObjective, train, type TrainObjective, type TrainOptions, type TrainProgress, type TrainResult, type TrainState } from "./models/train.ts";
export { createTransformer, INIT_STD, Transformer } from "./models/transformer.ts";
export { evaluatePolicy, policyConfig, runPolicyRecipe } from "./models/policy-recipe.ts";
export { tinySampleDump } from "./models/sample-dump.ts";
export type { TinySampleDumpOptions } from "./models/sample-dump.ts";
export type { LevelAccuracy, PolicyRecipe, RunPolicyRecipeOptions } from "./models/policy-recipe.ts";
export { countParams, paramSpecs, resolveConfig, type ParamSpec, type TransformerConfig } from "./models/transformer-config.ts";

export { transformerPolicy } from "./models/transformer-policy.ts";
export type { TransformerPolicy, TransformerPolicyCounts, TransformerPolicyOptions } from "./models/transformer-policy.ts";

// strategies and rewards: the interfaces every search strategy talks to
export type { Policy, SampleStepsOptions, SampleStepsResult, StepSample } from "./strategies/policy.ts";
export type { ScoreStepsResult, Verifier } from "./rewards/verifier.ts";
export { AGGREGATIONS, aggregateScores } from "./rewards/aggregate-scores.ts";
export type { Aggregation } from "./rewards/aggregate-scores.ts";
export { DEFAULT_REWARD_SCORING, rewardExample, transformerVerifier, rewardObjective, scorePositions, stepEndPositions } from "./rewards/reward-model.ts";
export type { RewardExample, RewardScoring, TransformerVerifierOptions } from "./rewards/reward-model.ts";
export type { TransformerVerifier, TransformerVerifierCounts } from "./rewards/reward-model.ts";
export { scorePositionsCached, type ScorePositionsCachedOptions, type ScorePositionsCachedResult } from "./rewards/score-positions-cached.ts";
export { checkerLabels, completionLines, rolloutLabels } from "./rewards/step-labels.ts";
export { evaluateRewardModel, runRewardRecipe, samplePolicy, scoreCompletions } from "./rewards/reward-recipe.ts";
export type { RewardEval, RewardRecipe, RunRewardRecipeOptions, Sampled } from "./rewards/reward-recipe.ts";
export type { LabelItem, RolloutLabelOptions } from "./rewards/step-labels.ts";

// strategies: online search on any Policy / Verifier, each charging a cost ledger
export { Ledger } from "./strategies/ledger.ts";
export type { LedgerJson, LedgerPricing, PolicyGroup } from "./strategies/ledger.ts";
export type { Candidate, CandidateStatus, ProblemResult, SearchCollaborators, SearchOptions, SearchResult, Selection } from "./strategies/search-types.ts";
export { selectCandidate } from "./strategies/select-answer.ts";
export { bestOfN } from "./strategies/best-of-n.ts";
export type { BestOfNOptions } from "./strategies/best-of-n.ts";
export { beamSearch } from "./strategies/beam-search.ts";
export type { BeamSearchOptions } from "./strategies/beam-search.ts";
export { lookahead } from "./strategies/lookahead.ts";
export type { LookaheadOptions } from "./strategies/lookahead.ts";
export { dvts } from "./strategies/dvts.ts";
export type { DvtsOptions } from "./strategies/dvts.ts";
export { earlyRejection } from "./strategies/early-rejection.ts";
export type { EarlyRejectionOptions } from "./strategies/early-rejection.ts";
export { shortMAtKOnline } from "./strategies/short-m-at-k-online.ts";
export type { ShortMAtKOnlineOptions } from "./strategies/short-m-at-k-online.ts";
export { ProblemSearch, cutSteps, endStatus } from "./strategies/problem-search.ts";
export type { Beam, SampleRound } from "./strategies/problem-search.ts";
export { expandStep, isOpen } from "./strategies/expand-step.ts";
export type { ExpandStepOptions, ExpandStepResult, RejectionOptions } from "./strategies/expand-step.ts";
export { runProblems } from "./strategies/run-problems.ts";
export { searchSampleTable } from "./strategies/search-sample-table.ts";
export type { SearchedProblem, SearchSampleTableOptions } from "./strategies/search-sample-table.ts";
export type { ProblemOutcome } from "./strategies/run-problems.ts";

// allocation: difficulty bins, compute-optimal strategy per bin and budget (Snell et al.'s 2-fold protocol), budget ratios
export { estimateDifficulty } from "./allocation/estimate-difficulty.ts";
export type { DifficultyEstimate, DifficultySample, EstimateDifficultyOptions } from "./allocation/estimate-difficulty.ts";
export { computeOptimal } from "./allocation/compute-optimal.ts";
export type { AllocationChoice, ComputeOptimalOptions, ComputeOptimalPoint, ComputeOptimalResult } from "./allocation/compute-optimal.ts";
export type { AllocationAxis } from "./allocation/allocation-budgets.ts";
export { configKey, paramsKey } from "./allocation/outcome-table.ts";
export type { OutcomeConfig, OutcomeRow, StrategyParams } from "./allocation/outcome-table.ts";
export { outcomeRows } from "./allocation/outcome-rows.ts";
export type { OutcomeRowsOptions } from "./allocation/outcome-rows.ts";
export { splitFolds } from "./allocation/split-folds.ts";
export { strategyCurve } from "./allocation/strategy-curve.ts";
export type { StrategyCurvePoint } from "./allocation/strategy-curve.ts";
export { budgetRatioToMatch } from "./allocation/budget-ratio.ts";
export type { BudgetMatch, BudgetPoint } from "./allocation/budget-ratio.ts";

// serve: the tiny models over an OpenAI-compatible HTTP API (completions, models, vLLM-style pooling for a verifier)
export { serve, type RequestLogEntry, type ServeOptions, type TtcServer } from "./serve/serve.ts";
export { DecodeBatcher, type DecodeBatcherOptions, type DecodeBatcherStats, type DecodeJob, type JobBatchInfo } from "./serve/decode-batcher.ts";
export { parseCompletionRequest, MAX_LOGPROBS, MAX_STOP_STRINGS, type CompletionLimits, type CompletionRequest } from "./serve/completion-request.ts";
export { CompletionChoice, type CompletionChoiceJson, type CompletionLogprobs } from "./serve/completion-choice.ts";
export { CompletionJob, type CompletionResponse, type CompletionSink, type CompletionUsage } from "./serve/completion-job.ts";
export { DEFAULT_STEP_TAG, parsePoolingRequest, scorePooling, splitPoolingInput, type PoolingItem, type PoolingResponse, type SplitInput } from "./serve/pooling.ts";
export { badField, errorResponse, HttpError, type ErrorBody } from "./serve/http-error.ts";

// llm: OpenAI-compatible servers (vLLM, llama.cpp, Ollama) as Policy and Verifier; math grading; resumable sample collection
export { OpenAICompatiblePolicy } from "./llm/openai-compatible-policy.ts";
export type { OpenAICompatiblePolicyOptions, RemoteSampleStepsOptions, RemoteSampleStepsResult, StreamStepOptions } from "./llm/openai-compatible-policy.ts";
export { StepStream } from "./llm/step-stream.ts";
export type { RemoteStepSample, StepStreamInit, StreamDelta } from "./llm/step-stream.ts";
export type { ChatMessage, CompletionApi } from "./llm/completion-protocol.ts";
export { HttpClient } from "./llm/http-client.ts";
export type { HttpClientOptions, RequestOptions } from "./llm/http-client.ts";
export { HttpRequestError } from "./llm/http-request-error.ts";
export type { HttpFailureKind, HttpRequestErrorInit } from "./llm/http-request-error.ts";
export { retryAfterMs, retryDelayMs } from "./llm/retry-delay.ts";
export type { BackoffOptions } from "./llm/retry-delay.ts";
export { Semaphore } from "./llm/semaphore.ts";
export { sseData } from "./llm/sse.ts";
export { openAIBaseUrl, serverRoot } from "./llm/openai-base-url.ts";
export { RewardModelVerifier } from "./llm/reward-model-verifier.ts";
export type { RewardModelVerifierOptions } from "./llm/reward-model-verifier.ts";
export { DEFAULT_JUDGE_PROMPT, LlmJudgeVerifier, parseJudgeScore } from "./llm/llm-judge-verifier.ts";
export type { LlmJudgeVerifierOptions } from "./llm/llm-judge-verifier.ts";
export { splitSteps } from "./llm/split-steps.ts";
export { cleanMathAnswer, extractMathAnswer, gradeMathAnswer, mathAnswersEqual, normalizeMathAnswer, parseRational } from "./llm/math-answer.ts";
export type { MathGrade, Rational } from "./llm/math-answer.ts";
export { readProblems } from "./llm/read-problems.ts";
export type { DatasetProblem } from "./llm/read-problems.ts";
export { canonicalJson, decodeSampleRecord, encodeSampleRecord, recordChecksum } from "./llm/sample-record.ts";
export type { SampleRecord } from "./llm/sample-record.ts";
export { loadSampleDump, readSampleDump } from "./llm/read-sample-dump.ts";
export type { DroppedTail, SampleDump } from "./llm/read-sample-dump.ts";
export { collectSamples } from "./llm/collect-samples.ts";
export type { CollectProgress, CollectSamplesOptions, CollectSamplesResult } from "./llm/collect-samples.ts";
export { formatCollectProgress } from "./llm/format-collect-progress.ts";


// plot: figure builders (pure), notebook display, export to json/html/png/svg
export type { Figure } from "./plot/figure.ts";
export { lineFigure } from "./plot/line-figure.ts";
export type { LineFigureOptions, LineSeries, VLine } from "./plot/line-figure.ts";
export { barFigure } from "./plot/bar-figure.ts";
export type { BarFigureOptions, BarGroup } from "./plot/bar-figure.ts";
export { paretoFigure } from "./plot/pareto-figure.ts";
export type { ParetoFigureOptions, ParetoGroup, ParetoPoint } from "./plot/pareto-figure.ts";
export { panelFigure } from "./plot/panel-figure.ts";
export type { Panel } from "./plot/panel-figure.ts";
export { paretoFrontier } from "./plot/pareto-frontier.ts";
export { PALETTE, paletteColor } from "./plot/palette.ts";
export { show } from "./plot/show.ts";
export type { ShowOptions } from "./plot/show.ts";
export { exportFigure } from "./plot/export.ts";
export type { ExportFigureOptions } from "./plot/export.ts";
export { openExporter } from "./plot/figure-exporter.ts";
export type { ExportFigureResult, ExportOptions, FigureExporter, ImageFormat, OpenExporterOptions } from "./plot/figure-exporter.ts";
export { DEFAULT_CHROMIUM_PATHS, findChromium } from "./plot/find-chromium.ts";
export type { ChromiumLookup } from "./plot/find-chromium.ts";
export { baseLayout } from "./plot/base-layout.ts";
export type { BaseLayoutOptions } from "./plot/base-layout.ts";
export { figureHtml } from "./plot/figure-html.ts";

// repro: the reproduction contract, claims checking, running with artefacts
export { FULL, SMOKE } from "./repro/types.ts";
export type { Claim, ClaimOutcome, Progress, ReproConfig, Reproduction } from "./repro/types.ts";
export { checkClaims, formatClaimsTable } from "./repro/check-claims.ts";
export type { ClaimReport, ClaimRow } from "./repro/check-claims.ts";
export { progressPrinter } from "./repro/progress.ts";
export { resolvePreset, runReproduction } from "./repro/run-reproduction.ts";
export type { FigureWriter, RunReproductionOptions, RunReproductionResult } from "./repro/run-reproduction.ts";
