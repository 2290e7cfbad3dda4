// Traces left by automation frameworks and headless browsers. Each finding is a short code in
// `tells`; the server weighs them. Any single tell is forgeable, which is why they are many.
import { probeWebgl } from './webgl.js';

// Globals that frameworks inject into the page (exact names).
const GLOBALS = (
  'callPhantom,_phantom,phantom,__nightmare,domAutomation,domAutomationController,awesomium,' +
  '_Selenium_IDE_Recorder,_selenium,calledSelenium,__lastWatirAlert,__lastWatirConfirm,' +
  '__lastWatirPrompt,__webdriverFunc,_WEBDRIVER_ELEM_CACHE'
).split(',');

// Prefixes of injected window/document keys (Playwright, Puppeteer, ChromeDriver "cdc_", Selenium).
const PREFIX = /^(__pw|__playwright|__puppeteer|puppeteer_|\$?cdc_|\$?wdc_|__selenium|__webdriver|__driver|__fxdriver|\$chrome_asyncScriptInfo)/;

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|mesa offscreen|microsoft basic render/i;

function keys(obj) {
  try {
    return Object.getOwnPropertyNames(obj);
  } catch (e) {
    return [];
  }
}

export default {
  name: 'automation',
  collect(ctx) {
    const tells = [];
    const ua = navigator.userAgent;
    const webdriver = navigator.webdriver ?? null;
    if (webdriver) tells.push('webdriver');
    if (/HeadlessChrome|PhantomJS|SlimerJS/.test(ua)) tells.push('headless_ua');

    const globals = GLOBALS.filter((g) => g in window);
    const injected = keys(window).concat(keys(document)).filter((k) => PREFIX.test(k));
    const found = Array.from(new Set(globals.concat(injected))).slice(0, 20);
    if (found.length) tells.push('automation_globals');

    let renderer = null;
    try {
      const gl = ctx.memo('webgl', probeWebgl);
      renderer = gl.unmasked_renderer || gl.renderer;
    } catch (e) {
      // No WebGL is not a tell by itself (blocklisted GPUs, privacy settings).
    }
    const software = !!renderer && SOFTWARE_GL.test(renderer);
    if (software) tells.push('software_renderer');

    const desktopChrome = /Chrome\//.test(ua) && !/Mobile|Android|Edg\//.test(ua);
    const pluginCount = (navigator.plugins || []).length;
    if (desktopChrome && pluginCount === 0) tells.push('no_plugins');
    if (desktopChrome && !window.chrome) tells.push('no_window_chrome');
    if (outerWidth === 0 && outerHeight === 0) tells.push('zero_outer_size');
    if (navigator.languages && navigator.languages.length === 0) tells.push('no_languages');

    return { webdriver, globals: found, software_renderer: software, renderer, tells };
  },
};
