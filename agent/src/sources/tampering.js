// Signs that fingerprinting-relevant APIs were overridden by an extension or a stealth plugin:
// wrapped functions that no longer stringify as native code, navigator/screen properties
// shadowed on the instance, and identity claims that contradict each other.
const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;
const fnToString = Function.prototype.toString;

// Interface:member,… groups; "@member" is an accessor (its getter is checked).
const CHECKS =
  'HTMLCanvasElement:toDataURL,getContext;CanvasRenderingContext2D:getImageData,measureText,fillText;' +
  'WebGLRenderingContext:getParameter,getSupportedExtensions;AudioBuffer:getChannelData;' +
  'OfflineAudioContext:startRendering;Date:getTimezoneOffset;Element:getBoundingClientRect;' +
  'HTMLElement:@offsetWidth;Permissions:query;MediaDevices:enumerateDevices;' +
  'Navigator:@userAgent,@platform,@languages,@hardwareConcurrency,@deviceMemory,@webdriver,@plugins,@userAgentData;' +
  'Screen:@width,@height,@colorDepth;NavigatorUAData:getHighEntropyValues;Function:toString';

function isNative(fn) {
  try {
    // Native methods have no own `prototype`; a plain function replacement usually does.
    return NATIVE.test(fnToString.call(fn)) && !Object.prototype.hasOwnProperty.call(fn, 'prototype');
  } catch (e) {
    return false;
  }
}

function nonNative() {
  const out = [];
  for (const group of CHECKS.split(';')) {
    const [iface, members] = group.split(':');
    const proto = window[iface] && window[iface].prototype;
    if (!proto) continue;
    for (const m of members.split(',')) {
      const getter = m[0] === '@';
      const name = getter ? m.slice(1) : m;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      const fn = d && (getter ? d.get : d.value);
      if (typeof fn === 'function' && !isNative(fn)) out.push(`${iface}.${name}`);
    }
  }
  return out;
}

function uaMismatch(ua) {
  const d = navigator.userAgentData;
  const found = [];
  if (d) {
    if (!/Chrome\/|CriOS\//.test(ua)) found.push('ua_data_without_chromium_ua');
    const chromium = (d.brands || []).find((b) => /Chromium|Google Chrome/.test(b.brand));
    const m = ua.match(/Chrome\/(\d+)/);
    if (chromium && m && chromium.version !== m[1]) found.push('ua_version_mismatch');
    const os = { Windows: /Windows/, macOS: /Mac OS X|Macintosh/, Linux: /Linux|X11/, Android: /Android/, 'Chrome OS': /CrOS/ };
    const re = os[d.platform];
    if (re && !re.test(ua)) found.push('ua_platform_mismatch');
  }
  const p = navigator.platform || '';
  if ((/^Win/.test(p) && !/Windows/.test(ua)) || (/^Mac/.test(p) && !/Mac|iPhone|iPad/.test(ua))) {
    found.push('navigator_platform_mismatch');
  }
  return found;
}

export default {
  name: 'tampering',
  collect() {
    const non_native = nonNative();
    const shadowed = Object.getOwnPropertyNames(navigator).concat(
      Object.getOwnPropertyNames(screen).map((k) => 'screen.' + k),
    );
    const mismatches = uaMismatch(navigator.userAgent);
    const tells = mismatches.slice();
    if (non_native.length) tells.push('non_native_functions');
    if (shadowed.length) tells.push('shadowed_properties');
    return { non_native, shadowed: shadowed.slice(0, 20), mismatches, tells };
  },
};
