// Legacy navigator identity fields; cheap to lie about in one place and forget in another.
import { orNull } from '../util/misc.js';

export default {
  name: 'platform',
  collect: () => ({
    platform: orNull(navigator.platform),
    vendor: orNull(navigator.vendor),
    product_sub: orNull(navigator.productSub),
    oscpu: orNull(navigator.oscpu),
    app_version: orNull(navigator.appVersion),
  }),
};
