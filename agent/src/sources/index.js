// Every signal source, in start order. Each module default-exports one shape:
//   { name, timeout?: 'field' | 'network', fresh?: boolean, collect(ctx, run) → value }
// `fresh` sources are re-read at every getSession(); the others are collected once per page
// (starting at init(), so getSession() finds them ready) and reused.
import user_agent from './user_agent.js';
import client_hints from './client_hints.js';
import platform from './platform.js';
import languages from './languages.js';
import timezone from './timezone.js';
import screen from './screen.js';
import window from './window.js';
import device_pixel_ratio from './device_pixel_ratio.js';
import hardware_concurrency from './hardware_concurrency.js';
import device_memory from './device_memory.js';
import touch from './touch.js';
import media_queries from './media_queries.js';
import engine from './engine.js';
import canvas from './canvas.js';
import webgl from './webgl.js';
import audio from './audio.js';
import fonts from './fonts.js';
import math from './math.js';
import plugins from './plugins.js';
import media_devices from './media_devices.js';
import permissions from './permissions.js';
import storage from './storage.js';
import first_party_id from './first_party_id.js';
import private_mode from './private_mode.js';
import automation from './automation.js';
import tampering from './tampering.js';
import worker from './worker.js';
import webrtc from './webrtc.js';
import network from './network.js';
import do_not_track from './do_not_track.js';
import battery from './battery.js';
import keyboard_layout from './keyboard_layout.js';
import document from './document.js';
import geolocation from './geolocation.js';

// Asynchronous sources come first: their waiting (audio thread, ICE gathering, worker start-up,
// browser IPC) then overlaps with the synchronous sources' main-thread work.
export default [
  webrtc, worker, audio, client_hints, media_devices, permissions, private_mode, battery,
  keyboard_layout, user_agent, platform, languages, timezone, screen, window, device_pixel_ratio,
  hardware_concurrency, device_memory, touch, media_queries, engine, canvas, webgl, fonts, math,
  plugins, storage, first_party_id, automation, tampering, network, do_not_track, document,
  geolocation,
];
