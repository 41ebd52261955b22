--[[
Citations for the built-in renderer: pandoc's citeproc, as Quarto runs it, on the whole book.

`[@key]` and `@key` are Cite elements, and so are the cross-references `@fig-…`, `@tbl-…`,
`@sec-…` that book.lua resolves later. Citeproc must not see the cross-references (it
would report them as missing sources), so they are set aside, citeproc runs on the rest
(pandoc.utils.citeproc, with the bibliography, csl and lang in the metadata), and they are
put back. A resolved citation then becomes a Span with class "citation" holding its text,
and the ::: {#refs} list becomes plain paragraphs, so book.lua and the writers see only
what the subset allows. Run pandoc with --fail-if-warnings: a missing key is an error.
]]

local XREF = { fig = true, tbl = true, sec = true }

local function is_crossref(cite)
  for _, citation in ipairs(cite.citations) do
    local prefix = citation.id:match("^(%a+)%-")
    if not (prefix and XREF[prefix:lower()]) then return false end
  end
  return true
end

function Pandoc(doc)
  local held = {}
  doc = doc:walk({
    Cite = function(cite)
      if not is_crossref(cite) then return nil end
      held[#held + 1] = cite
      return pandoc.Span({}, { ["data-crossref"] = tostring(#held) })
    end,
  })
  doc = pandoc.utils.citeproc(doc)
  doc = doc:walk({
    Cite = function(cite)
      return pandoc.Span(cite.content, { class = "citation" })
    end,
    Div = function(div)
      if div.identifier == "refs" then
        local entries = pandoc.Blocks {}
        for _, entry in ipairs(div.content) do
          if entry.t == "Div" then entries:extend(entry.content) else entries:insert(entry) end
        end
        return entries
      end
    end,
  })
  return doc:walk({
    Span = function(span)
      local n = span.attributes["data-crossref"]
      if n then return held[tonumber(n)] end
    end,
  })
end
