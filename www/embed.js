// <aug-playground>: augplay in a course page. Load this script (a classic script, so any page
// can load it from wherever augplay is hosted) and write, for example:
//   <aug-playground recipe='{"transforms":[{"name":"Rotate","limit":30}]}' seed="7" image="coffee.png"></aug-playground>
// or paste the `state` a share link carries. The playground runs in an iframe from augplay's own
// folder, so the host page needs nothing else; nothing is fetched from anywhere else.

(() => {
const PAGE = new URL('index.html', document.currentScript?.src || location.href);

class AugPlayground extends HTMLElement {
  static observedAttributes = ['recipe', 'seed', 'image', 'view', 'state', 'height'];

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const style = document.createElement('style');
      style.textContent = ':host { display: block; } iframe { display: block; width: 100%; border: 0; border-radius: 8px; }';
      this.frame = document.createElement('iframe');
      this.frame.title = this.getAttribute('title') || 'augplay: data augmentation playground';
      this.frame.loading = 'lazy';
      root.append(style, this.frame);
    }
    this.update();
  }

  attributeChangedCallback() {
    if (this.frame) this.update();
  }

  /** The playground's URL for the current attributes. */
  get src() {
    const params = new URLSearchParams();
    const state = this.getAttribute('state');
    if (state) params.set('s', state.replace(/^s=/, ''));
    else {
      const recipe = this.getAttribute('recipe');
      if (recipe) params.set('recipe', recipe);
      for (const name of ['seed', 'image', 'view']) {
        const value = this.getAttribute(name);
        if (value) params.set(name, value);
      }
    }
    params.set('embed', '1');
    return `${PAGE.href}#${params}`;
  }

  update() {
    this.frame.style.height = `${Number(this.getAttribute('height')) || 560}px`;
    if (this.frame.getAttribute('src') !== this.src) this.frame.src = this.src;
  }
}

if (!customElements.get('aug-playground')) customElements.define('aug-playground', AugPlayground);
})();
