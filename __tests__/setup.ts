import { Testing } from 'cdktf';
// Declares the matchers' types for tsc; Testing.setupJest() registers them at run time.
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
