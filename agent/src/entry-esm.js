// ES module build: `import sightline, { init, getSession } from './agent.mjs'`.
import { createAgent } from './agent.js';

const agent = createAgent(import.meta.url);
export const init = agent.init;
export const getSession = agent.getSession;
export default agent;
