/**
 * Jest reporter that ends every run with the plain line `N passed, N failed`, which CI reads
 * (it does not read Jest's own summary). A suite that fails to load counts as a failure.
 */
export default class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
