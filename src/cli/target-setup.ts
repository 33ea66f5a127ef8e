import { preflight } from '../client/preflight.js';
import { TargetError } from '../client/check-request.js';
import { probeTarget } from '../client/probe.js';
import { redact, secretValues } from '../client/redact.js';
import { buildHeaders, type RequestShape } from '../client/request-body.js';
import { resolveTarget, type Target } from '../config/target.js';
import type { FaultRate } from '../sim/faults.js';
import { DEFAULT_SIM_OPTIONS, describeSim, type SimOptions } from '../sim/options.js';
import { spawnSimulator } from '../sim/embedded.js';
import { say } from './output.js';

/** What a command needs to reach its target, from its flags. */
export interface TargetPlan {
  /** null: start the built-in simulator. */
  target: Target | null;
  model: string | null;
  apiKey: string | null;
  headers: Readonly<Record<string, string>>;
  shape: Omit<RequestShape, 'model'>;
  insecure: boolean;
  simFaults: readonly FaultRate[];
}

export interface ReadyTarget {
  target: Target;
  model: string;
  /** Request headers, authorization included: for the engine only, never to print. */
  headers: Record<string, string>;
  /** The embedded simulator's options, when there is no --url. */
  simulator: SimOptions | null;
}

/**
 * Gets a target ready for load: starts the built-in simulator when there is no --url, lists
 * the models (and picks the model), sends one check request, then runs `use` and stops the
 * simulator afterwards. A wrong target throws a TargetError (exit 2) before any load.
 */
export async function withTarget<T>(plan: TargetPlan, use: (t: ReadyTarget) => Promise<T>): Promise<T> {
  const simulator = plan.target === null ? { ...DEFAULT_SIM_OPTIONS, port: 0, faults: plan.simFaults } : null;
  const sim = simulator ? await spawnSimulator(simulator) : null;
  try {
    const target = sim ? resolveTarget(sim.url, plan.shape.api) : plan.target!;
    if (sim) say(`no --url: started the built-in simulator at ${sim.url} (${describeSim(simulator!)})`);
    const headers = buildHeaders(plan.apiKey, plan.headers);
    const secrets = secretValues(headers, target.endpointPath);
    const { model } = await checked(secrets, () => probeTarget(target, headers, plan.model, plan.insecure));
    const { warning } = await checked(secrets, () => preflight(target, headers, { ...plan.shape, model }, plan.insecure));
    if (warning) say(`warning: ${redact(warning, secrets)}`);
    return await use({ target, model, headers, simulator });
  } finally {
    await sim?.close();
  }
}

/** A server may echo credentials in the error a check reports: scrub them first. */
export async function checked<T>(secrets: readonly string[], check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof TargetError) throw new TargetError(redact(e.message, secrets));
    throw e;
  }
}
