function zmqtest_expect_error(fn, id, text)
% Test helper: raises zmqtest:check unless fn() raises an error with identifier id whose
% message contains text (when given).
try
  fn();
catch err
  if ~strcmp(err.identifier, id)
    error('zmqtest:check', '%s: expected error %s, got %s (%s)', func2str(fn), id, ...
          err.identifier, err.message);
  end
  if nargin > 2 && isempty(strfind(err.message, text))
    error('zmqtest:check', '%s: message "%s" lacks "%s"', func2str(fn), err.message, text);
  end
  fprintf('ok: %s raised %s: %s\n', func2str(fn), id, err.message);
  return;
end
error('zmqtest:check', '%s: expected error %s, got none', func2str(fn), id);
end
