// Preloaded (`node -r`) into a process the bench profiles: the first SIGWINCH (a signal Nest's
// shutdown hooks leave alone, unlike SIGUSR2; by default ignored) starts sampling the
// CPU, the second writes a .cpuprofile (Chrome DevTools format) to CPU_PROFILE_PATH, so the profile
// covers the load only, not start-up or seeding. (`--cpu-prof` covers everything, and writes only
// at a normal exit, while Nest's shutdown hooks end the process by re-raising SIGTERM.)
const inspector = require('node:inspector');
const { renameSync, writeFileSync } = require('node:fs');

const session = new inspector.Session();
session.connect();
let profiling = false;
process.on('SIGWINCH', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
    return;
  }
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    // Renamed into place: the bench reads it as soon as it exists.
    writeFileSync(`${process.env.CPU_PROFILE_PATH}.part`, JSON.stringify(result.profile));
    renameSync(`${process.env.CPU_PROFILE_PATH}.part`, process.env.CPU_PROFILE_PATH);
  });
});
