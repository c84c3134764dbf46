/**
 * The example workflows in .github/workflows/examples/ are not run by CI, so nothing else would
 * notice them drifting from the Action: each must be valid YAML, pass only inputs action.yml
 * declares, read only outputs it declares, and keep the shape its comments promise (triggers,
 * least permissions, one concurrency group, the partial -> merge hand-over).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/hook.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix?: unknown };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group?: string };
  jobs: Record<string, Job>;
}

const EXAMPLES = path.join(ROOT, '.github/workflows/examples');
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const load = (name: string) => parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Workflow;
/** Steps that run this Action (however it is pinned). */
const ourSteps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => /\/tokenledger@/.test(step.uses ?? '')));
const commandOf = (workflow: Workflow) => ourSteps(workflow).map((step) => step.with?.command);

describe('the example workflows', () => {
  it('are exactly nightly, pull-request and matrix', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(['matrix.yml', 'nightly.yml', 'pull-request.yml']);
  });

  for (const name of ['nightly.yml', 'pull-request.yml', 'matrix.yml']) {
    it(`${name} passes only inputs action.yml declares and reads only its outputs`, () => {
      const workflow = load(name);
      const steps = ourSteps(workflow);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) expect(Object.keys(step.with ?? {}).filter((input) => !(input in action.inputs))).toEqual([]);
      // `steps.<id>.outputs.<name>` of a step running the Action must be an output it sets.
      const ids = new Set(steps.map((step) => step.id).filter((id) => id !== undefined));
      const text = readFileSync(path.join(EXAMPLES, name), 'utf8');
      for (const match of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(match[1]!)) expect(action.outputs, match[0]).toHaveProperty([match[2]!]);
      }
      // Least privilege: nothing beyond what these workflows need, and never write-all.
      const granted = [workflow.permissions ?? {}, ...Object.values(workflow.jobs).map((job) => job.permissions ?? {})].flatMap((permissions) => Object.entries(permissions).map(([scope, level]) => `${scope}: ${level}`));
      expect(granted.filter((grant) => !['contents: read', 'pages: write', 'id-token: write', 'pull-requests: write'].includes(grant))).toEqual([]);
      expect(workflow.concurrency?.group).toMatch(/^tokenledger-/);
    });
  }

  it('nightly runs report on a schedule and by hand, with an App token, and deploys Pages', () => {
    const workflow = load('nightly.yml');
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(commandOf(workflow)).toEqual(['report']);
    const uses = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.uses?.replace(/@.*/, '')));
    expect(uses).toEqual(expect.arrayContaining(['actions/create-github-app-token', 'actions/upload-pages-artifact', 'actions/deploy-pages']));
    expect(ourSteps(workflow)[0]!.with?.token).toBe('${{ steps.app-token.outputs.token }}');
    expect(workflow.jobs.deploy?.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('pull-request comments on pull_request with only pull-requests: write beside contents: read', () => {
    const workflow = load('pull-request.yml');
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(commandOf(workflow)).toEqual(['pr-comment']);
    expect(ourSteps(workflow)[0]!.with).not.toHaveProperty('repositories');
  });

  it('matrix runs partial per shard, uploads the files, and merges the downloaded artifacts in one job', () => {
    const workflow = load('matrix.yml');
    const shard = workflow.jobs.shard!;
    const merge = workflow.jobs.merge!;
    expect(shard.strategy?.matrix).toBeDefined();
    expect(merge.needs).toBe('shard');
    const partialStep = shard.steps.find((step) => step.with?.command === 'partial')!;
    const upload = shard.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.path).toBe(`\${{ steps.${partialStep.id}.outputs.partial-file }}`);
    const download = merge.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))!;
    const mergeStep = merge.steps.find((step) => step.with?.command === 'merge')!;
    // download-artifact puts each artifact in <path>/<artifact name>/, which the glob must reach.
    expect(String(upload.with?.name)).toMatch(/^tokenledger-partial-/);
    expect(download.with?.pattern).toBe('tokenledger-partial-*');
    expect(mergeStep.with?.partials).toBe(`${String(download.with?.path)}/*/${String(partialStep.with?.['partial-file'])}`);
  });
});
