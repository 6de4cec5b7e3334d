// The cdktf jest matchers (toHaveResource…), for the suites that import this file.
import { Testing } from 'cdktf';
// Declares the matchers' types for tsc; Testing.setupJest() registers them at run time.
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
