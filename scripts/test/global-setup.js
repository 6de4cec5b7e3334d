'use strict';
// jest globalSetup: runs once before the workers start (they inherit its environment).
module.exports = async function globalSetup() {
  require('./synth-cache').globalSetup();
};
