--[[
Conditional content, as Quarto treats it (QUARTO-SUBSET.md section 9), for the built-in
renderer: a Div or Span with class .content-visible or .content-hidden and the attributes
when-format / unless-format / when-meta / unless-meta is kept (unwrapped) or dropped for the
format being written. It runs on each format's copy of the book before book.lua numbers it,
so a figure or table that one format leaves out is not counted there, as in Quarto.

The settings come in the metadata field "book-conditional" (JSON):
  { "format": "html" | "typst", "meta": { "edition.programme_ended": true, ... } }
A when-meta key that is not in "meta" is an error: Quarto would quietly treat it as false,
which hides a misspelt key.
]]

local settings
local problems = pandoc.List {}

local FORMAT_ALIASES = {
  html = { html = true, html5 = true, html4 = true },
  typst = { typst = true, pdf = true },
}

local function format_matches(name)
  return FORMAT_ALIASES[settings.format][name] == true
end

local function meta_true(key)
  local value = settings.meta[key]
  if value == nil then
    problems:insert("when-meta/unless-meta key " .. key .. " is not in the document's metadata")
    return false
  end
  return value == true
end

-- Quarto's rule: every condition given must hold for the content to match.
local function matches(attributes)
  local ok = true
  if attributes["when-format"] then ok = ok and format_matches(attributes["when-format"]) end
  if attributes["unless-format"] then ok = ok and not format_matches(attributes["unless-format"]) end
  if attributes["when-meta"] then ok = ok and meta_true(attributes["when-meta"]) end
  if attributes["unless-meta"] then ok = ok and not meta_true(attributes["unless-meta"]) end
  return ok
end

local function decide(el)
  local visible = el.classes:includes("content-visible")
  local hidden = el.classes:includes("content-hidden")
  if not visible and not hidden then return nil end
  local show = matches(el.attributes)
  if hidden then show = not show end
  if show then return el.content end
  return {}
end

function Pandoc(doc)
  settings = pandoc.json.decode(pandoc.utils.stringify(doc.meta["book-conditional"]))
  doc.meta["book-conditional"] = nil
  doc = doc:walk({ Div = decide, Span = decide })
  if #problems > 0 then
    error(table.concat(problems, "\n"))
  end
  return doc
end
