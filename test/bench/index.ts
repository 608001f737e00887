/** `npm run bench`: synthesis cost by number of images, the simulated pipeline, and the nginx pipeline's wall time on the emulator. */
import { benchSynth, printSynth } from './synth.js';
import { benchPipeline, printPipeline } from './pipeline.js';
import { benchCopyOrder, printCopyOrder } from './copy-order.js';
import { benchNginxEmulated, printNginxEmulated } from './nginx-emulated.js';

// 100 is beyond the 1/10/50 so the growth between the last two sizes shows linearity.
printSynth(benchSynth([1, 10, 50, 100]));
console.log('');
printPipeline(await benchPipeline({ afterTest: true }));
printCopyOrder(benchCopyOrder([12, 30, 60, 120]));
printNginxEmulated(await benchNginxEmulated());
