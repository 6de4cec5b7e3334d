import { addCentralAuthStacks } from './modules/app';
import { RETIRED_CONTEXT_KEY } from './modules/config/select';
import { loadDeployment } from './modules/deployment';
import { runSynth } from './modules/synth';

// The config comes from CENTRAL_AUTH_CONFIG alone; the line naming it goes to stdout, as the policy's
// echoes do (the cdktf CLI labels every stderr line "[ERROR]").
runSynth((app) =>
  addCentralAuthStacks(
    app,
    loadDeployment(process.env, { contextValue: app.node.tryGetContext(RETIRED_CONTEXT_KEY), cwd: process.cwd(), log: console.log }),
  ),
);
