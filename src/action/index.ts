/**
 * The Action's entry (bundled to dist/index.mjs): read the inputs, run the command, report the
 * results. All logic lives in plain functions that tests call directly; any error ends here, in
 * one place, as a failed step with its message.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { isMainThread } from 'node:worker_threads';
import { InputError, readInputs, type ReportOptions } from './inputs.js';
import { runNightlyReport, type NightlyReport } from './nightly.js';
import { readEvent, runPullRequestComment } from './pull-request.js';
import { runMerge, runPartial } from './shards.js';

/** `report` and `merge` publish the same way: the site data, its outputs and the job summary. */
async function publish(run: Promise<NightlyReport>, options: ReportOptions): Promise<void> {
  const result = await run;
  core.setOutput('site-dir', options.siteDir);
  core.setOutput('sessions', result.sessions);
  core.setOutput('invalid-files', result.invalidFileCount);
  core.setOutput('partial-file', result.partialFile);
  await writeSummary(result.summaryMarkdown);
}

async function partial(options: ReportOptions): Promise<void> {
  const result = await runPartial(options);
  core.setOutput('sessions', result.sessions);
  core.setOutput('invalid-files', result.invalidFiles);
  core.setOutput('partial-file', result.partialFile);
}

async function prComment(options: ReportOptions): Promise<void> {
  if (options.token === undefined) throw new InputError('input "token": pr-comment needs a token to read and write the pull request\'s comments');
  // getOctokit honours GITHUB_API_URL, so GitHub Enterprise Server (and the tests' stand-in) work.
  const octokit = getOctokit(options.token);
  const result = await runPullRequestComment(options, { event: await readEvent(process.env.GITHUB_EVENT_PATH), octokit });
  core.setOutput('comment', result.comment);
  if (result.summaryMarkdown !== undefined) await writeSummary(result.summaryMarkdown);
  else core.info(`tokenledger: pull request comment ${result.comment}`);
}

/** Outside a runner (a local try-out) there is no step summary to write to. */
async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  else core.info(markdown);
}

// Chart workers run this bundle too (src/site/render.ts): only the main thread is the Action.
if (isMainThread) await main();

async function main(): Promise<void> {
  try {
    const options = readInputs();
    const commands = {
      report: () => publish(runNightlyReport(options), options),
      merge: () => publish(runMerge(options), options),
      partial: () => partial(options),
      'pr-comment': () => prComment(options),
    } satisfies Record<typeof options.command, () => Promise<void>>;
    await commands[options.command]();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
