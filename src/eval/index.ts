/**
 * Public surface of the accuracy benchmarks. Pure apart from data loading (files, hub downloads)
 * and the HumanEval sandbox; nothing here sends requests to the model.
 */
export type {
  ApiKind,
  BenchmarkAdapter,
  BenchmarkInfo,
  ChatMessage,
  EvalItem,
  EvalMode,
  EvalRequest,
  Extracted,
  Extraction,
  FewShot,
  ItemResult,
  LoadOptions,
  Method,
  ReplyInfo,
  RequestBody,
  RunOptions,
  ScoreContext,
} from './types.js';
export { BENCHMARKS, describeRow, getBenchmark, listBenchmarks, runOptions } from './registry.js';
export { hubSource, localSource, type DataSource, type HubSource, type LocalSource } from './data/source.js';
export { DataError } from './data/errors.js';
export { evaluateReply, failedResult } from './evaluate.js';
export { aggregate, passAtK, type Aggregate, type CategoryScore, type GroupScore } from './aggregate.js';
export { EVAL_SCHEMA, benchmarkEntry, evalJson, itemLine, itemRecord, type BenchmarkEntry } from './output.js';
export { createSandbox, runPython, type Sandbox, type SandboxInfo, type SandboxOptions, type SandboxResult } from './sandbox/sandbox.js';
