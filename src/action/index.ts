/**
 * The Action's entry (bundled to dist/index.mjs): read the inputs, run the command, report the
 * results. All logic lives in plain functions that tests call directly; any error ends here, in
 * one place, as a failed step with its message.
 */
import * as core from '@actions/core';
import { readInputs } from './inputs.js';
import { runNightlyReport } from './nightly.js';

async function main(): Promise<void> {
  const options = readInputs();
  const report = await runNightlyReport(options);
  core.setOutput('site-dir', options.siteDir);
  core.setOutput('sessions', report.sessions);
  core.setOutput('invalid-files', report.invalidFiles.length);
  // Outside a runner (a local try-out) there is no step summary to write to.
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(report.summaryMarkdown).write();
  else core.info(report.summaryMarkdown);
}

try {
  await main();
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
