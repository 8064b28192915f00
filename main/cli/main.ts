import { main } from './index.js';
void main();
