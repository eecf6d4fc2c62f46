/* Material for MkDocs 9.8.1's inline scripts (partials/javascripts/*.html), moved to a file so the
   Content-Security-Policy can forbid inline scripts. The theme's overrides of those partials load this file
   where Material had the inline script; data-part says which one runs. The code is Material's, verbatim
   except that the scope comes from data-scope (tests/test_security.py compares it with Material's). */
(function (script) {
  switch (script.dataset.part) {
    case "base":
      __md_scope=new URL(script.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
      break;
    case "palette":
      var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)};
      break;
  }
})(document.currentScript);
