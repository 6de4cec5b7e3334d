import { addCentralAuthStacks } from './modules/app';
import { CONFIG_CONTEXT_KEY } from './modules/config/load';
import { loadDeployment } from './modules/deployment';
import { runSynth } from './modules/synth';

runSynth((app) => addCentralAuthStacks(app, loadDeployment(app.node.tryGetContext(CONFIG_CONTEXT_KEY))));
