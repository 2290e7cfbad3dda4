// Plugins and MIME types. Modern Chrome reports a fixed PDF set; zero in desktop Chrome is an
// automation tell, and odd entries reveal extensions or old browsers.
import { hash } from '../util/hash.js';

export default {
  name: 'plugins',
  collect() {
    const plugins = Array.from(navigator.plugins || []);
    const mimes = Array.from(navigator.mimeTypes || []);
    const names = plugins.map((p) => p.name);
    return {
      count: plugins.length,
      names,
      hash: hash(plugins.map((p) => [p.name, p.filename, p.description])),
      mime_types_count: mimes.length,
      mime_types_hash: hash(mimes.map((m) => [m.type, m.suffixes])),
      pdf_viewer_enabled: navigator.pdfViewerEnabled ?? null,
    };
  },
};
