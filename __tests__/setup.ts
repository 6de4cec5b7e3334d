import { Testing } from 'cdktf';

// Registers cdktf's matchers (toHaveResourceWithProperties, toHaveDataSource, ...).
Testing.setupJest();
