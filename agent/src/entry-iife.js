// Classic <script> build: exposes window.sightline. A second copy on the same page keeps the
// first, so behaviour collected since its init() is not lost.
import { createAgent } from './agent.js';

const src = document.currentScript && document.currentScript.src;
if (!window.sightline) window.sightline = createAgent(src);
