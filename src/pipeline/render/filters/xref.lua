--[[
xref.lua: the words of a cross-reference, shared by book.lua (built-in renderer) and
quarto-refs.lua (under Quarto), so both write "kapittel 3", "Figur 1.2", "[-@id]" as the
number alone and "[Prefiks @id]" with a prefix of your own in one way.

Not a filter: each of the two loads it with
  dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE), "xref.lua" }))
which works under pandoc and under Quarto (whose filter environment sets PANDOC_SCRIPT_FILE
to the filter's own path).
]]

local M = {}

M.NBSP = "\u{a0}"

function M.capitalise(text)
  return pandoc.text.upper(pandoc.text.sub(text, 1, 1)) .. pandoc.text.sub(text, 2)
end

function M.target_key(id)
  -- "@Sec-x" refers to "sec-x", written with a capital: returns "sec-x", true
  local capital = id:match("^%u") ~= nil
  return capital and (id:sub(1, 1):lower() .. id:sub(2)) or id, capital
end

function M.text(target, citation, capital)
  -- The link's text: the number alone, the citation's own prefix and the number, or the
  -- target's word ("kapittel", "figur", capitalised for @Sec-…) and the number.
  if citation.mode == "SuppressAuthor" then
    return { pandoc.Str(target.number) }
  elseif #citation.prefix > 0 then
    local text = citation.prefix:clone()
    text:insert(pandoc.Str(M.NBSP .. target.number))
    return text
  end
  local ref = capital and M.capitalise(target.ref) or target.ref
  return { pandoc.Str(ref .. M.NBSP .. target.number) }
end

function M.links(cite, link_for)
  -- A Cite's citations as links separated by ", "; nil (the Cite stays) as soon as one
  -- citation has no link.
  local out = pandoc.List {}
  for i, citation in ipairs(cite.citations) do
    local link = link_for(citation)
    if link == nil then return nil end
    if i > 1 then out:extend({ pandoc.Str(","), pandoc.Space() }) end
    out:insert(link)
  end
  return out
end

return M
