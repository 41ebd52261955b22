--[[
typography.lua: non-breaking spaces of Norwegian typesetting, for both renderers.

Named in _quarto.yml (filters:, after Quarto's own, so shortcodes are resolved); the
built-in renderer runs it on the whole book after book.lua. A line break must not split
a unit or start a line with a dash: "d = 1,86", "p < 0,001", "30. juni",
"staten – erfaringer". In print a quote and its attribution ("— Deltaker …") stay on
one page.
]]

local NBSP = "\u{a0}"

local RELATIONS = { ["="] = true, ["<"] = true, [">"] = true, ["≤"] = true, ["≥"] = true, ["±"] = true }
local MONTHS = {
  januar = true, februar = true, mars = true, april = true, mai = true, juni = true, juli = true,
  august = true, september = true, oktober = true, november = true, desember = true,
}

function Inlines(inlines)
  -- Non-breaking spaces where a line break would split a unit or start a line with a
  -- dash: "d = 1,86", "p < 0,001", "30. juni", "staten – erfaringer". A list left as it
  -- was is not handed back (nil): pandoc then keeps it without reading it again from Lua.
  local changed = false
  for i = 2, #inlines - 1 do
    if inlines[i].t == "Space" then
      local before, after = inlines[i - 1], inlines[i + 1]
      if before.t == "Str" and after.t == "Str" then
        local word = after.text:gsub("%p+$", "")
        if RELATIONS[before.text] or RELATIONS[after.text] or after.text == "–"
          or (before.text:match("^%(?%d%d?%.$") and MONTHS[word]) then
          inlines[i] = pandoc.Str(NBSP)
          changed = true
        end
      end
    end
  end
  return changed and inlines or nil
end

function BlockQuote(quote)
  -- A page break must not part a participant's words from the line that says who spoke:
  -- in Typst the quote goes into one unbreakable block (quotes are a few lines long).
  -- The built-in renderer runs this filter JSON to JSON (FORMAT "json") for both outputs;
  -- its HTML writer, like Quarto's, leaves raw Typst out.
  if FORMAT:match("html") then return nil end
  return {
    pandoc.RawBlock("typst", "#block(breakable: false)["),
    quote,
    pandoc.RawBlock("typst", "]"),
  }
end
