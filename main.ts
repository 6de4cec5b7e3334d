import { addCentralAuthStacks } from './modules/app';
import { CONFIG_CONTEXT_KEY, loadConfig } from './modules/config/load';
import { runSynth } from './modules/synth';

runSynth((app) => addCentralAuthStacks(app, loadConfig(app.node.tryGetContext(CONFIG_CONTEXT_KEY))));
